import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecordWriter } from '../../src/records/record-writer.js'
import { CATEGORIES } from '../../src/records/schemas.js'
import { fieldGroup, WritePlan } from '../../src/records/write-plan.js'
import { useTestRedis } from '../support/redis.js'

describe('a write plan reading counters back', () => {
  let env: Awaited<ReturnType<typeof useTestRedis>>
  beforeEach(async () => {
    env = await useTestRedis()
  })
  afterEach(async () => {
    await env.cleanup()
  })

  const meta = (key: string) => ({
    actor: 'sandbox:admin',
    at: new Date('2026-07-28T02:00:00Z'),
    idempotencyKey: key,
  })

  it('sends a village’s category ends as the script’s shared list, and reads the same values', async () => {
    const hash = env.keys.rosterTally()
    const categoryFields = CATEGORIES.map((c) => `vc|东村|${c}`)
    const shared = fieldGroup(categoryFields)
    const spelled = fieldGroup([...categoryFields.slice(0, 3), 'vc|东村|其它'])
    await env.redis.hset(hash, 'vc|东村|残疾军人', '3', 'vc|东村|其他', '1')
    const writer = new RecordWriter({ redis: env.redis, keys: env.keys })

    const plan = new WritePlan(0, 'test').readAfterGroup(hash, shared).readAfterGroup(hash, spelled)
    const wire = plan.toWire().json
    const outcome = await writer.write(meta('w1'), async () => ({
      plan,
      action: 'test.read',
      after: '{}',
    }))

    expect(shared).toMatchObject({ prefix: 'vc|东村|', shared: 1 })
    expect(spelled.shared).toBeUndefined()
    // The twelve names are not spelled out on the wire; the other group's ends are.
    expect(JSON.parse(wire).reads).toEqual([
      ['f', 7, 'vc|东村|', 1],
      ['f', 7, 'vc|东村|', ['残疾军人', '烈士遗属', '因公牺牲军人遗属', '其它']],
    ])
    const values = outcome!.readAfter!
    expect(values.slice(0, CATEGORIES.length)).toEqual(
      CATEGORIES.map((c) => (c === '残疾军人' ? '3' : c === '其他' ? '1' : null)),
    )
    expect(values.slice(CATEGORIES.length)).toEqual(['3', null, null, null])
  })
})
