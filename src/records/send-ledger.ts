import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import { runScript } from './scripts.js'

/** How long the ledger remembers a delivery; longer than any retry, stall or re-plan window. */
const SENT_TTL_SECONDS = 30 * 24 * 3600

const SENT = 'sent:'
const SENDING = 'sending:'

/**
 * Gives a claim back after a failed send, so the retry need not wait for the claim's TTL.
 *
 * KEYS[1] the delivery's ledger entry   ARGV[1] 'sending:<token>' of the claim to release
 * Returns 1 released | 0 the entry is no longer this claim (expired, taken, or sent).
 */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

export type ClaimResult =
  { state: 'claimed' } | { state: 'sent' } | { state: 'busy'; retryInMs: number }

/**
 * The sent-ledger: one entry per delivery id, `sending` while one sender holds a short claim,
 * then `sent` for 30 days. BullMQ is at-least-once; this is what makes a re-run harmless.
 */
export class SendLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** True once the delivery was marked sent. */
  async isSent(deliveryId: string): Promise<boolean> {
    const value = await this.redis.get(this.keys.delivered(deliveryId))
    return value !== null && value.startsWith(SENT)
  }

  /**
   * Claims `deliveryId` for `ttlMs` under `token`, unless it was sent or another sender holds
   * the claim. The usual case (never seen) is one SET NX; only a repeat reads the entry.
   */
  async claim(deliveryId: string, token: string, ttlMs: number): Promise<ClaimResult> {
    const key = this.keys.delivered(deliveryId)
    const ttl = Math.max(1, Math.round(ttlMs))
    if ((await this.redis.set(key, `${SENDING}${token}`, 'PX', ttl, 'NX')) !== null) {
      return { state: 'claimed' }
    }
    const [value, left] = await Promise.all([this.redis.get(key), this.redis.pttl(key)])
    if (value !== null && value.startsWith(SENT)) return { state: 'sent' }
    // Another sender's claim, or one that expired between the two reads: look again shortly.
    return { state: 'busy', retryInMs: Math.max(1, value === null ? 1 : left) }
  }

  /** Records the delivery as sent, whoever held the claim. */
  async markSent(deliveryId: string, at: Date): Promise<void> {
    await this.redis.set(
      this.keys.delivered(deliveryId),
      `${SENT}${at.toISOString()}`,
      'EX',
      SENT_TTL_SECONDS,
    )
  }

  /** Releases the claim `token` holds, if it still does. */
  async release(deliveryId: string, token: string): Promise<void> {
    await runScript(this.redis, RELEASE, [this.keys.delivered(deliveryId)], [`${SENDING}${token}`])
  }
}
