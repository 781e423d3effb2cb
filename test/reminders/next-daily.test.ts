import { describe, expect, it } from 'vitest'
import type { Reminder } from '../../src/records/reminder-store.js'
import { nextDailyAt, repeatLabel } from '../../src/reminders/deliver.js'

/** A daily 08:00 reminder whose pending occurrence fires at `at`. */
const daily = (at: string, timezone = 'Asia/Shanghai'): Reminder => ({
  id: 1,
  owner: 'sandbox:lisi',
  chat: { platform: 'sandbox', chatId: 'lisi', isGroup: false },
  text: '报数',
  schedule: { kind: 'daily', hour: 8, minute: 0, timezone },
  occurrence: 1,
  at,
  status: 'pending',
  createdAt: '2026-11-28T02:00:00.000Z',
})

describe('nextDailyAt (issue 11)', () => {
  it('when delivered on time, is the next day at the same wall-clock time', () => {
    const next = nextDailyAt(daily('2026-11-29T00:00:00.000Z'), new Date('2026-11-29T00:00:05Z'))

    expect(next.toISOString()).toBe('2026-11-30T00:00:00.000Z')
  })

  it('when days were missed while no worker ran, skips them instead of sending a burst', () => {
    const next = nextDailyAt(daily('2026-11-29T00:00:00.000Z'), new Date('2026-12-03T03:00:00Z'))

    expect(next.toISOString()).toBe('2026-12-04T00:00:00.000Z')
  })

  it('when the zone changes its clocks, keeps 08:00 local', () => {
    // New York moves to daylight time on 2027-03-14: 08:00 is 13:00 UTC before, 12:00 after.
    const reminder = daily('2027-03-13T13:00:00.000Z', 'America/New_York')

    expect(nextDailyAt(reminder, new Date('2027-03-13T13:00:01Z')).toISOString()).toBe(
      '2027-03-14T12:00:00.000Z',
    )
  })

  it('labels the schedule 每天 08:00', () => {
    expect(repeatLabel({ kind: 'daily', hour: 8, minute: 0 })).toBe('每天 08:00')
  })
})
