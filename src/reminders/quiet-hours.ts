import { addDays, instantAt, localDateOf, zonedParts } from '../time/local-date.js'

/** Campaign reminders are sent from 08:00 and never from 21:00 (local time, contract.md). */
export const QUIET_FROM_HOUR = 21
export const QUIET_UNTIL_HOUR = 8

/** True when `instant` falls in quiet hours (21:00–08:00) in `timezone`. */
export function isQuietHour(instant: Date, timezone: string): boolean {
  const { hour } = zonedParts(instant, timezone)
  return hour >= QUIET_FROM_HOUR || hour < QUIET_UNTIL_HOUR
}

/** `instant` itself outside quiet hours, else the 08:00 that ends them (same or next day). */
export function nextSendableInstant(instant: Date, timezone: string): Date {
  if (!isQuietHour(instant, timezone)) return instant
  const today = localDateOf(instant, timezone)
  const { hour } = zonedParts(instant, timezone)
  const day = hour >= QUIET_FROM_HOUR ? addDays(today, 1) : today
  return instantAt(day, QUIET_UNTIL_HOUR, 0, timezone)
}
