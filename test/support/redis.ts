import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { Keys } from '../../src/records/keys.js'
import { connectRedis } from '../../src/records/redis.js'

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * A real Redis connection, made as the bot's request path makes it (connectRedis 'request'),
 * and a fresh key prefix (`t:<12 hex digits>:`) for one test: short, as the bot's own prefix is,
 * because every key of a write travels to Redis (the benches measure that cost too).
 * `cleanup()` deletes every key under the prefix (ours and BullMQ's) and disconnects.
 */
export async function useTestRedis(): Promise<{
  redis: Redis
  keys: Keys
  prefix: string
  cleanup: () => Promise<void>
}> {
  const prefix = `t:${randomBytes(6).toString('hex')}:`
  const redis = (await connectRedis(TEST_REDIS_URL, 'request')) as Redis
  const keys = new Keys(prefix)
  const cleanup = async () => {
    let cursor = '0'
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      cursor = next
      if (found.length > 0) await redis.del(...found)
    } while (cursor !== '0')
    redis.disconnect()
  }
  return { redis, keys, prefix, cleanup }
}
