import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'

/** Vendor access tokens in Redis, shared by every process (satisfies platforms' TokenCache). */
export class RedisTokenCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async get(platform: string, appId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.accessToken(platform, appId))) ?? undefined
  }

  async set(platform: string, appId: string, token: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(
      this.keys.accessToken(platform, appId),
      token,
      'EX',
      Math.max(1, Math.floor(ttlSeconds)),
    )
  }

  async drop(platform: string, appId: string): Promise<void> {
    await this.redis.del(this.keys.accessToken(platform, appId))
  }
}
