import type { Clock } from '../../src/time/clock.js'

/** A clock that stands still until a test moves it. */
export interface TestClock extends Clock {
  set(instant: Date | string): void
  advance(ms: number): void
}

export function testClock(start: Date | string): TestClock {
  let current = new Date(start).getTime()
  const clock = (() => new Date(current)) as TestClock
  clock.set = (instant) => {
    current = new Date(instant).getTime()
  }
  clock.advance = (ms) => {
    current += ms
  }
  return clock
}
