import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  claimAndRead,
  directReads,
  NotRead,
  ReadBatch,
  type StoreReads,
} from '../../src/records/reads.js'
import { useTestRedis } from '../support/redis.js'

/**
 * A message's first round trip (issue 10, part 9): the claim, the role, the open form and the
 * command's prefetched reads in one script, answering exactly what the reads made alone do.
 */
describe('reads gathered into the first round trip', () => {
  let r: Awaited<ReturnType<typeof useTestRedis>>
  let k: (name: string) => string

  beforeEach(async () => {
    r = await useTestRedis()
    k = (name) => `${r.prefix}${name}`
    await r.redis.sadd(k('villages'), '铁炉嘴村', '白岩村')
    await r.redis.rpush(k('order'), '白岩村', '铁炉嘴村')
    await r.redis.hset(k('config'), 'std|2026', '{"fen":580000}', 'odd|field', 'x', 'empty', '')
    await r.redis.sadd(k('byName'), '1', '2', '9')
    await r.redis.hset(k('records'), '1', '{"n":"张三"}', '2', '{"n":"张三 "}')
    await r.redis.hset(k('roles'), 'sandbox:li', '{"role":"cadre"}')
    await r.redis.set(k('form'), '{"kind":"visit"}')
  })

  afterEach(async () => {
    await r.cleanup()
  })

  const claim = (seen = 'seen') => ({
    seenKey: k(seen),
    lease: 'L1',
    leaseMs: 10_000,
    rolesKey: k('roles'),
    roleField: 'sandbox:li',
    formKey: k('form'),
  })

  /** Every kind of read, as a look-up asks them. */
  const askAll = (reads: StoreReads) =>
    Promise.all([
      reads.smembers(k('villages')),
      reads.wholeList(k('order')),
      reads.hget(k('config'), 'std|2026'),
      reads.hget(k('config'), 'odd|field'),
      reads.hget(k('config'), 'absent'),
      reads.hget(k('config'), 'empty'),
      reads.indexed(k('byName'), k('records')),
      reads.smembers(k('none')),
    ])

  it('answers each read as Redis does alone, with the claim, role and form, in one script', async () => {
    const batch = new ReadBatch(r.redis)
    const asked = askAll(batch)
    const first = await claimAndRead(r.redis, claim(), batch)

    expect(first).toEqual({ held: null, role: '{"role":"cadre"}', form: '{"kind":"visit"}' })
    expect(await r.redis.get(k('seen'))).toBe('L1')
    const alone = await askAll(directReads(r.redis))
    // An unchanged set answers SMEMBERS in the same order every time.
    expect(await asked).toEqual(alone)
    expect(alone[5]).toBe('') // an empty value stays empty, not absent
    expect(alone[6]).toHaveLength(4) // ids 1 and 2 have records, 9 has none
  })

  it('does not read for a message already claimed: the reads reject with NotRead', async () => {
    await r.redis.set(k('seen'), 'W14')
    const batch = new ReadBatch(r.redis)
    const villages = batch.smembers(k('villages'))
    const first = await claimAndRead(r.redis, claim(), batch)

    expect(first.held).toBe('W14')
    await expect(villages).rejects.toBeInstanceOf(NotRead)
    expect(await r.redis.get(k('seen'))).toBe('W14')
  })

  it('a read that fails (a key of another type) fails alone, and the claim is taken', async () => {
    await r.redis.set(k('notASet'), 'text')
    const batch = new ReadBatch(r.redis)
    const broken = batch.smembers(k('notASet'))
    const fine = batch.wholeList(k('order'))
    const first = await claimAndRead(r.redis, claim(), batch)

    expect(first.held).toBeNull()
    await expect(broken).rejects.toThrow(/batched read/)
    expect(await fine).toEqual(['白岩村', '铁炉嘴村'])
  })

  it('reads asked after the batch was sent go to Redis on their own', async () => {
    const batch = new ReadBatch(r.redis)
    await claimAndRead(r.redis, claim(), batch)
    expect((await batch.smembers(k('villages'))).sort()).toEqual(['白岩村', '铁炉嘴村'])
    expect(await batch.hget(k('config'), 'std|2026')).toBe('{"fen":580000}')
  })

  it('a bootstrap admin (no role field) and no open form read neither', async () => {
    const batch = new ReadBatch(r.redis)
    const first = await claimAndRead(
      r.redis,
      { ...claim(), roleField: undefined, formKey: undefined },
      batch,
    )
    expect(first).toEqual({ held: null, role: null, form: null })
  })
})
