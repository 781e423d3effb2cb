// Preloaded by `npm run test:dates` (node --import): moves this process's clock by
// SHIFT_CLOCK_OFFSET_MS so the suite runs as if today were another day. A preload rather than
// libfaketime, which would also be loaded into the redis-server the embedded-Redis tests start
// (it deadlocks jemalloc's start-up). Only "now" moves: dates built from a value, timers and
// performance.now() are untouched.
const offset = Number(globalThis.process.env.SHIFT_CLOCK_OFFSET_MS)
if (!Number.isFinite(offset)) throw new Error('SHIFT_CLOCK_OFFSET_MS must be a number of ms')

const RealDate = Date
const shiftedNow = () => RealDate.now() + offset

globalThis.Date = new Proxy(RealDate, {
  // new Date() is now; new Date(value) is that value, as ever.
  construct: (target, args, newTarget) =>
    Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget),
  // Date() called as a function gives now as a string.
  apply: () => new RealDate(shiftedNow()).toString(),
  get: (target, key, receiver) => (key === 'now' ? shiftedNow : Reflect.get(target, key, receiver)),
})
