import { UnrecoverableError } from 'bullmq'
import { PlatformApiError } from '../errors.js'
import type { Logger } from '../log.js'
import type { ChatRef, Platform, PlatformAdapter, Reply } from '../platforms/types.js'
import type { Keys } from '../records/keys.js'
import type { RedisClient } from '../records/redis.js'

/** Data of a `push` job: one reply to one chat. `deliveryId` names it in the sent-ledger. */
export interface PushJobData {
  deliveryId: string
  chat: ChatRef
  reply: Reply
}

export interface DeliverDeps {
  redis: RedisClient
  keys: Keys
  adapters: ReadonlyMap<Platform, PlatformAdapter>
  log: Logger
}

/** How long the sent-ledger remembers a delivery; longer than any retry or stall window. */
const LEDGER_TTL_SECONDS = 30 * 24 * 3600

/**
 * Delivers one push at most once per deliveryId: BullMQ is at-least-once (a stalled job
 * runs again), so the sent-ledger is checked before sending and written after. Permanent
 * vendor errors throw UnrecoverableError (no retry); others throw to retry with backoff.
 */
export async function deliverPush(
  deps: DeliverDeps,
  data: PushJobData,
): Promise<'sent' | 'already-sent'> {
  const ledger = deps.keys.delivered(data.deliveryId)
  if ((await deps.redis.exists(ledger)) === 1) return 'already-sent'
  const adapter = deps.adapters.get(data.chat.platform)
  if (!adapter) throw new UnrecoverableError(`platform ${data.chat.platform} is not configured`)
  try {
    await adapter.send(data.chat, data.reply)
  } catch (err) {
    if (err instanceof PlatformApiError && err.permanent) throw new UnrecoverableError(err.message)
    throw err
  }
  await deps.redis.set(ledger, new Date().toISOString(), 'EX', LEDGER_TTL_SECONDS)
  return 'sent'
}
