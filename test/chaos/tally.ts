import { Redis } from 'ioredis'
import { Keys } from '../../src/records/keys.js'
import type { Platform, SentMessage } from './traffic.js'

/** What a fault did to the messages sent while it lasted. */
export interface MessageTally {
  sent: number
  acknowledged: number
  stored: number
  /** Acknowledged (200) but no record: the contract's "acknowledged and dropped". */
  lost: number
  /** `lost` by the platform the messages came from. */
  lostBy: Record<Platform, number>
  /** More than one record for one message id. */
  doubled: number
  /** Never answered 200 within the platform's tries: the platform gave up (not "lost"). */
  unacknowledged: number
  /** Of those, how many were stored anyway. */
  unacknowledgedStored: number
  /** Tries beyond the first, over all messages. */
  resends: number
}

const TAG = /qz[a-z]+/g

/**
 * How many active visit records carry each message's tag in their note, read straight from
 * the records hash, so a write the idempotency key failed to stop shows up as two.
 */
export async function countStoredByTag(redisUrl: string): Promise<Map<string, number>> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 })
  try {
    const all = await redis.hgetall(new Keys().records())
    const counts = new Map<string, number>()
    for (const json of Object.values(all)) {
      const record = JSON.parse(json) as { k?: string; nd?: string; nt?: string; x?: unknown }
      if (record.k !== 'v' || record.x !== undefined) continue
      const tags = new Set(`${record.nd ?? ''} ${record.nt ?? ''}`.match(TAG) ?? [])
      for (const tag of tags) counts.set(tag, (counts.get(tag) ?? 0) + 1)
    }
    return counts
  } finally {
    redis.disconnect()
  }
}

export function tallyMessages(sent: SentMessage[], stored: Map<string, number>): MessageTally {
  const tally: MessageTally = {
    sent: sent.length,
    acknowledged: 0,
    stored: 0,
    lost: 0,
    lostBy: { wecom: 0, dingtalk: 0, sandbox: 0 },
    doubled: 0,
    unacknowledged: 0,
    unacknowledgedStored: 0,
    resends: 0,
  }
  for (const message of sent) {
    const copies = stored.get(message.tag) ?? 0
    tally.resends += Math.max(0, message.tries.length - 1)
    if (copies > 0) tally.stored += 1
    if (copies > 1) tally.doubled += 1
    if (message.acknowledged) {
      tally.acknowledged += 1
      if (copies === 0) {
        tally.lost += 1
        tally.lostBy[message.platform] += 1
      }
    } else {
      tally.unacknowledged += 1
      if (copies > 0) tally.unacknowledgedStored += 1
    }
  }
  return tally
}

/** Deliveries per push or reminder: how many got none, one, two or more. */
export interface DeliveryTally {
  never: number
  once: number
  twiceOrMore: number
}

/** `markers` are letters-only; one counts where no further letter follows (qzb is not qzba). */
export function tallyDeliveries(markers: string[], delivered: string[]): DeliveryTally {
  const tally: DeliveryTally = { never: 0, once: 0, twiceOrMore: 0 }
  const seen = new Map<string, number>()
  for (const text of delivered) {
    for (const marker of text.match(TAG) ?? []) seen.set(marker, (seen.get(marker) ?? 0) + 1)
  }
  for (const marker of markers) {
    const times = seen.get(marker) ?? 0
    if (times === 0) tally.never += 1
    else if (times === 1) tally.once += 1
    else tally.twiceOrMore += 1
  }
  return tally
}
