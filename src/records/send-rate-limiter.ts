import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import { runScript } from './scripts.js'

/**
 * Takes one send slot of a target if every one of its sliding windows has room. A member
 * already in the log (the same delivery run again) keeps its slot instead of taking another.
 *
 * KEYS[1] the target's send log (ZSET member → ms)
 * ARGV[1] now, ms   ARGV[2] member   ARGV[3..] window ms and sends allowed in it, pairwise
 * Returns 0 when the slot is taken | ms until every full window has room again.
 */
const TAKE_SLOT = `
local now = tonumber(ARGV[1])
local longest = 0
for i = 3, #ARGV, 2 do longest = math.max(longest, tonumber(ARGV[i])) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
local wait = 0
for i = 3, #ARGV, 2 do
  local window = tonumber(ARGV[i])
  local since = '(' .. (now - window)
  if redis.call('ZCOUNT', KEYS[1], since, '+inf') >= tonumber(ARGV[i + 1]) then
    local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    wait = math.max(wait, tonumber(oldest[2]) + window - now)
  end
end
if wait > 0 then return math.max(1, wait) end
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], longest)
return 0
`

/** One vendor window: at most `max` sends to one target in any `windowMs`. */
export interface SendWindow {
  max: number
  windowMs: number
}

/** A vendor limit: every window must have room (WeCom members: 30 a minute and 1000 an hour). */
export type SendLimit = readonly SendWindow[]

/**
 * Per-target send limits shared by every worker through Redis: a sliding log per target, so
 * no window ever holds more than the vendor allows (WeCom drops the excess silently).
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
      [nowMs, member, ...limit.flatMap((w) => [w.windowMs, w.max])],
    )
    return Number(wait)
  }
}
