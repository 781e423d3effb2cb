import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ReminderStore, type NewReminder } from '../../src/records/reminder-store.js'
import { useTestRedis } from '../support/redis.js'

const NOW = new Date('2026-11-28T02:00:00Z')

const reminder = (owner: string, at: string, text = '联系武警中队'): NewReminder => ({
  owner,
  chat: { platform: 'sandbox', chatId: owner.split(':')[1]!, isGroup: false },
  text,
  schedule: { kind: 'once' },
  at,
  createdAt: NOW.toISOString(),
})

describe('ReminderStore', () => {
  let env: Awaited<ReturnType<typeof useTestRedis>>
  let store: ReminderStore

  beforeEach(async () => {
    env = await useTestRedis()
    store = new ReminderStore(env.redis, env.keys)
  })

  afterEach(async () => {
    await env.cleanup()
  })

  it('when reminders are created, numbers them from one counter', async () => {
    const a = await store.create(reminder('sandbox:lisi', '2026-11-29T01:00:00.000Z'), 'm1')
    const b = await store.create(reminder('sandbox:wangwu', '2026-11-29T01:00:00.000Z'), 'm2')

    expect([a.reminder.id, b.reminder.id]).toEqual([1, 2])
    expect(a.reminder).toMatchObject({ status: 'pending', occurrence: 1, owner: 'sandbox:lisi' })
  })

  it('when the same message creates a reminder twice (a resent write), stores it once', async () => {
    const first = await store.create(reminder('sandbox:lisi', '2026-11-29T01:00:00.000Z'), 'm1')
    const again = await store.create(reminder('sandbox:lisi', '2026-11-29T01:00:00.000Z'), 'm1')

    expect(again).toEqual({ reminder: first.reminder, created: false })
    expect(await store.pendingOf('sandbox:lisi')).toHaveLength(1)
  })

  it('pendingOf lists only that owner’s pending reminders, soonest first', async () => {
    await store.create(reminder('sandbox:lisi', '2026-12-01T01:00:00.000Z', '交表'), 'm1')
    await store.create(reminder('sandbox:lisi', '2026-11-29T01:00:00.000Z', '开会'), 'm2')
    await store.create(reminder('sandbox:wangwu', '2026-11-29T01:00:00.000Z'), 'm3')

    const mine = await store.pendingOf('sandbox:lisi')

    expect(mine.map((r) => r.text)).toEqual(['开会', '交表'])
  })

  it('when cancelled, leaves the pending lists and a second cancel reports not pending', async () => {
    const { reminder: r } = await store.create(
      reminder('sandbox:lisi', '2026-11-29T01:00:00.000Z'),
      'm1',
    )

    const first = await store.cancel(r.id, 'sandbox:lisi', NOW)
    const second = await store.cancel(r.id, 'sandbox:lisi', NOW)

    expect(first.outcome).toBe('cancelled')
    expect(second).toMatchObject({ outcome: 'not-pending', reminder: { status: 'cancelled' } })
    expect(await store.pendingOf('sandbox:lisi')).toEqual([])
    expect(await store.allPending()).toEqual([])
  })

  it('complete and advance change only the occurrence they name', async () => {
    const { reminder: r } = await store.create(
      reminder('sandbox:lisi', '2026-11-29T01:00:00.000Z'),
      'm1',
    )
    const next = new Date('2026-12-06T01:00:00.000Z')

    expect(await store.advance(r.id, 1, next, NOW)).toBe(true)
    expect(await store.advance(r.id, 1, next, NOW)).toBe(false)
    expect(await store.complete(r.id, 1, NOW)).toBe(false)
    expect(await store.complete(r.id, 2, NOW)).toBe(true)

    expect(await store.get(r.id)).toMatchObject({ occurrence: 2, status: 'done' })
    expect(await store.allPending()).toEqual([])
  })
})
