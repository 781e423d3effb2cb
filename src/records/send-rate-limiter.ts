import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import { runScript } from './scripts.js'

/**
 * Takes one send slot of a target if its sliding window has room. A member already in the
 * window (the same delivery run again) keeps its slot instead of taking a second one.
 *
 * KEYS[1] the target's send log (ZSET member → ms)
 * ARGV[1] now, ms   ARGV[2] window, ms   ARGV[3] sends allowed per window   ARGV[4] member
 * Returns 0 when the slot is taken | ms until the oldest send leaves the window.
 */
const TAKE_SLOT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then return 0 end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`

/** A vendor limit: at most `max` sends to one target in any `windowMs`. */
export interface SendLimit {
  max: number
  windowMs: number
}

/**
 * Per-target send limits shared by every worker through Redis: a sliding log per target, so
 * no minute ever holds more than the vendor allows (WeCom drops the excess silently).
 */
export class SendRateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** Takes a slot for `member` at `nowMs`: 0 when taken, else the ms to wait before trying again. */
  async take(target: string, limit: SendLimit, member: string, nowMs: number): Promise<number> {
    const wait = await runScript(
      this.redis,
      TAKE_SLOT,
      [this.keys.sendRate(target)],
      [nowMs, limit.windowMs, limit.max, member],
    )
    return Number(wait)
  }
}
