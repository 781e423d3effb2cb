import { z } from 'zod'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import { runScript } from './scripts.js'

export const campaignRunSchema = z.object({
  /** `sent`: fanned out; `late`: found over 24 h after it was due; `obsolete`: no longer a reminder date. */
  outcome: z.enum(['sent', 'late', 'obsolete']),
  at: z.iso.datetime(),
  recipients: z.number().int().min(0),
})
export type CampaignRun = z.infer<typeof campaignRunSchema>

/**
 * Takes or renews the planning lease: free, or already ours, becomes ours for the TTL.
 *
 * KEYS[1] the lease (STRING owner token, with a TTL)   ARGV[1] owner token   ARGV[2] TTL, ms
 * Returns 1 held by us now | 0 another owner holds it.
 */
const TAKE_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`

/**
 * The campaign ledger (which occurrences ran, and how) and the lease that lets one process at a
 * time plan campaign jobs.
 */
export class CampaignLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** How occurrence `id` ran; undefined when it has not. */
  async get(id: string): Promise<CampaignRun | undefined> {
    const raw = await this.redis.hget(this.keys.campaignLedger(), id)
    return raw === null ? undefined : campaignRunSchema.parse(JSON.parse(raw))
  }

  /** Which of `ids` have run. */
  async ran(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set()
    const raws = await this.redis.hmget(this.keys.campaignLedger(), ...ids)
    return new Set(ids.filter((_, i) => raws[i] !== null))
  }

  /** Records how occurrence `id` ran (a re-run overwrites with the same outcome). */
  async record(id: string, run: CampaignRun): Promise<void> {
    await this.redis.hset(
      this.keys.campaignLedger(),
      id,
      JSON.stringify(campaignRunSchema.parse(run)),
    )
  }

  /**
   * True the first time `announcement` is claimed, false ever after: a message that must go
   * out once per campaign (「全部已走访」 to leaders) however many reminder dates find it true.
   */
  async claimAnnouncement(announcement: string, at: Date): Promise<boolean> {
    return (
      (await this.redis.hsetnx(
        this.keys.campaignLedger(),
        `announce|${announcement}`,
        at.toISOString(),
      )) === 1
    )
  }

  /** True when `owner` holds the planning lease for the next `ttlMs` (taken or renewed). */
  async takePlanningLease(owner: string, ttlMs: number): Promise<boolean> {
    const held = await runScript(
      this.redis,
      TAKE_LEASE,
      [this.keys.campaignLease()],
      [owner, Math.max(1, Math.round(ttlMs))],
    )
    return held === 1
  }
}
