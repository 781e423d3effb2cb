import type { Keys } from './keys.js'
import { withStore, type RedisClient } from './redis.js'

/** DingTalk callback sign pairs in Redis, shared by every web instance (DingtalkSignLedger). */
export class RedisSignLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async claim(timestamp: string, sign: string, messageId: string, ttlMs: number): Promise<string> {
    const key = this.keys.dingtalkSignUse(timestamp, sign)
    return withStore(async () => {
      const px = Math.max(1, Math.ceil(ttlMs))
      if ((await this.redis.set(key, messageId, 'PX', px, 'NX')) === 'OK') return messageId
      // Held already, and the value never changes while it lives. Gone in between means the
      // pair just left its hour, which the sign check refuses anyway: '' refuses it too.
      return (await this.redis.get(key)) ?? ''
    })
  }
}
