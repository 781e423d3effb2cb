import { afterEach, describe, expect, it } from 'vitest'
import { COMMITTED_PREFIX, FINAL_MARKER, LEASE_PREFIX } from '../../src/records/message-commits.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { testClock } from '../support/clock.js'
import { seedTown } from '../support/town.js'

const VISIT = '走访 张三 2026-07-28 八一 慰问金500元'

/** Resolves once `condition` holds, looking every few milliseconds (a lease running out). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('the redelivery marker is final only with the commit (issue 10)', () => {
  let t: TestBot

  afterEach(async () => {
    await t.cleanup()
  })

  async function bot(): Promise<TestBot> {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: testClock('2026-07-30T02:00:00Z') },
    )
    await seedTown(t)
    return t
  }

  const send = (id: string, text = VISIT) =>
    t.http.post('/sandbox/messages').send({ user: 'admin', text, id })
  const texts = (res: { body: { replies: { text: string }[] } }) =>
    res.body.replies.map((r) => r.text)
  const records = () => t.redis.hlen(t.keys.records())

  it('when a visit is stored, its write leaves the marker final, naming the record', async () => {
    await bot()

    const res = await send('visit-1')

    const id = /^已登记 #(\d+)/.exec(texts(res)[0] ?? '')?.[1]
    expect(id).toBeDefined()
    expect(await t.redis.get(t.keys.seenMessage('sandbox', 'visit-1'))).toBe(
      `${COMMITTED_PREFIX}${id}`,
    )
    expect(await t.redis.ttl(t.keys.seenMessage('sandbox', 'visit-1'))).toBeGreaterThan(86_400)
  })

  it('when a command writes nothing (帮助), the marker is made final after the reply', async () => {
    await bot()

    const res = await send('help-1', '帮助')

    expect(texts(res)[0]).toContain('双拥助手可用命令')
    expect(await t.redis.get(t.keys.seenMessage('sandbox', 'help-1'))).toBe(FINAL_MARKER)
  })

  it('when a visit is redelivered after it was stored, the redelivery names the record and stores nothing again', async () => {
    await bot()
    const first = await send('visit-2')
    const id = /^已登记 #(\d+)/.exec(texts(first)[0] ?? '')?.[1]
    const before = await records()

    const again = await send('visit-2')

    expect(again.status).toBe(200)
    expect(texts(again)).toEqual([`这条消息已处理过（记录 #${id}），无需重发。`])
    expect(await records()).toBe(before)
  })

  it('when a command that writes no record (帮助) is redelivered, the redelivery is answered empty', async () => {
    await bot()
    await send('help-2', '帮助')

    const again = await send('help-2', '帮助')

    expect(again.status).toBe(200)
    expect(texts(again)).toEqual([])
  })

  it('when an attempt died between claim and commit, its redelivery is answered 503 during the lease', async () => {
    await bot()
    const seen = t.keys.seenMessage('sandbox', 'visit-3')
    // What a killed attempt leaves: its lease, neither made final nor released.
    await t.redis.set(seen, `${LEASE_PREFIX}dead-attempt`, 'PX', 30_000)

    const during = await send('visit-3')

    expect(during.status).toBe(503)
    expect(await t.redis.get(seen)).toBe(`${LEASE_PREFIX}dead-attempt`)
  })

  it('when an attempt died between claim and commit, the redelivery after its lease is stored once', async () => {
    await bot()
    const seen = t.keys.seenMessage('sandbox', 'visit-4')
    await t.redis.set(seen, `${LEASE_PREFIX}dead-attempt`, 'PX', 50)
    const before = await records()
    await until(async () => (await t.redis.exists(seen)) === 0)

    const after = await send('visit-4')
    const again = await send('visit-4')

    expect(after.status).toBe(200)
    expect(texts(after)[0]).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/)
    expect(texts(again)).toEqual([expect.stringMatching(/^这条消息已处理过（记录 #\d+）/)])
    expect(await records()).toBe(before + 1)
  })
})
