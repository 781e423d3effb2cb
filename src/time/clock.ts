/**
 * The bot's one clock. Everything that reasons about time (what is due, job delays, quiet
 * hours, catch-up windows, link expiry, signature freshness) reads the `Clock` it was given;
 * no component falls back to the real clock on its own. Only the composition roots (main.ts,
 * the CLIs) hand out `systemClock`; tests hand out a clock they control.
 */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()

/**
 * How long from `now` until `at`, never negative: the delay of a BullMQ job that should run at
 * `at`. Only relative delays cross into BullMQ, which measures them on its own real-time
 * clock; computing them from the injected `now` keeps "due" decided by one clock.
 */
export function delayUntil(at: Date, now: Date): number {
  return Math.max(0, at.getTime() - now.getTime())
}

/**
 * The instant on BullMQ's own clock `delayMs` from now, for `job.moveToDelayed`, which takes an
 * absolute time its workers compare against the real clock. The delay itself was worked out on
 * the bot's clock; this is the one place the real clock is read outside the composition roots.
 */
export function bullmqInstantAfter(delayMs: number): number {
  return Date.now() + delayMs
}
