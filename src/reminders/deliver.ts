import { randomUUID } from 'node:crypto'
import { UnrecoverableError } from 'bullmq'
import { PlatformApiError } from '../errors.js'
import type { Logger } from '../log.js'
import type { Platform, PlatformAdapter, Reply, SendOptions } from '../platforms/types.js'
import { repliesInContext } from '../platforms/reply-queue.js'
import type { SealedRobot } from '../records/group-store.js'
import type { Keys } from '../records/keys.js'
import type { RedisClient } from '../records/redis.js'
import type { Reminder, ReminderStore } from '../records/reminder-store.js'
import { SendLedger } from '../records/send-ledger.js'
import { SendRateLimiter, type SendLimit } from '../records/send-rate-limiter.js'
import { addDays, instantAt, localDateOf } from '../time/local-date.js'
import { reminderJobId, type ReminderJobData } from './job.js'
import { isQuietHour, nextSendableInstant } from './quiet-hours.js'
import type { Clock } from '../time/clock.js'
import type { PushJobData, PushTarget } from './push-job.js'

export type { PushJobData, PushTarget }

/** WeCom's longest duplicate-check interval (4 h): a crashed send is re-sent well within it. */
export const REPEAT_WINDOW_S = 4 * 3600

/** Sends through group robots; built in compose.ts from the platform clients. */
export interface GroupRobotSender {
  /** Opens the credential and sends. Throws PlatformApiError / PlatformHttpError as the clients do. */
  send(robot: SealedRobot, reply: Reply): Promise<void>
}

/** Vendor send limits per target, enforced across every worker. */
export interface SendLimits {
  wecomMember: SendLimit
  wecomRobot: SendLimit
  dingtalkRobot: SendLimit
}

export const SEND_LIMITS: SendLimits = {
  // developer.work.weixin.qq.com/document/path/90312 (self-built app frequency limits):
  // "每应用对同一个成员不可超过30次/分，1000次/小时，超过部分会被丢弃不下发" (platforms.md) —
  // dropped silently, so never exceed either.
  wecomMember: [
    { max: 30, windowMs: 60_000 },
    { max: 1000, windowMs: 3_600_000 },
  ],
  // developer.work.weixin.qq.com/document/path/99110: "每个机器人发送的消息不能超过20条/分钟".
  wecomRobot: [{ max: 20, windowMs: 60_000 }],
  // open.dingtalk.com/document/orgapp/custom-robot-access: "每个机器人每分钟最多发送20条消息到群里，
  // 如果超过20条，会限流10分钟" (130101).
  dingtalkRobot: [{ max: 20, windowMs: 60_000 }],
}

export interface DeliverDeps {
  /** The connection the ledger, limiter and records use. */
  redis: RedisClient
  keys: Keys
  adapters: ReadonlyMap<Platform, PlatformAdapter>
  /** Absent: robot targets fail as unrecoverable. */
  robots?: GroupRobotSender
  log: Logger
  /** BOT_TIMEZONE, for quiet hours. */
  timezone: string
  now: Clock
  /** `false` lifts every limit (benchmarks). @defaultValue SEND_LIMITS */
  limits?: SendLimits | false
  /**
   * How long one sender's claim on a delivery lasts, ms: longer than a send can take (the
   * clients time out after 10 s per request). @defaultValue 60000
   */
  claimTtlMs?: number
}

/** What one run of a delivery did. `postponed`: run it again in `delayMs` (not an attempt). */
export type DeliveryOutcome =
  | { status: 'sent' }
  | { status: 'already-sent' }
  | { status: 'cancelled' }
  | { status: 'postponed'; delayMs: number; reason: 'rate-limit' | 'quiet-hours' | 'in-flight' }

/**
 * Delivers one push at most once per deliveryId in normal operation, and never loses it:
 *
 * BullMQ runs a job at least once (a stalled job runs again, and a worker whose lock expired may
 * still be running it). Checking a "sent" marker before sending and writing it after leaves two
 * live runs free to both send; writing it before sending loses the message if the process dies
 * mid-send. So the ledger takes a short claim (`sending`, 60 s) before the send and turns it into
 * `sent` after: a second run waits while the claim lives, a failed send releases it, and only a
 * process that dies after the vendor accepted the message but before the `sent` write (a window
 * of one Redis round trip) leaves the claim to expire and the message to be sent again. We
 * prefer that rare duplicate to a lost reminder.
 *
 * Permanent vendor errors throw UnrecoverableError (no retry); others throw to retry with backoff.
 */
export async function deliverPush(deps: DeliverDeps, data: PushJobData): Promise<DeliveryOutcome> {
  const outcome = await deliverOne(deps, data)
  if (outcome.status === 'postponed') return outcome
  for (const next of data.followUps ?? []) {
    const followed = await deliverOne(deps, next)
    if (followed.status === 'postponed') return followed
  }
  return outcome
}

async function deliverOne(deps: DeliverDeps, data: PushJobData): Promise<DeliveryOutcome> {
  const ledger = new SendLedger(deps.redis, deps.keys)
  const now = deps.now()
  if (data.quietHours === true && isQuietHour(now, deps.timezone)) {
    const until = nextSendableInstant(now, deps.timezone)
    return { status: 'postponed', delayMs: until.getTime() - now.getTime(), reason: 'quiet-hours' }
  }

  const limited = limitOf(data.target, deps.limits ?? SEND_LIMITS)
  if (limited) {
    // A delivery already sent must not take one of the target's few slots a minute.
    if (await ledger.isSent(data.deliveryId)) return { status: 'already-sent' }
    const limiter = new SendRateLimiter(deps.redis, deps.keys)
    const waitMs = await limiter.take(limited.key, limited.limit, data.deliveryId, now.getTime())
    if (waitMs > 0) return { status: 'postponed', delayMs: waitMs, reason: 'rate-limit' }
  }

  const token = randomUUID()
  const claim = await ledger.claim(data.deliveryId, token, deps.claimTtlMs ?? 60_000)
  if (claim.state === 'sent') return { status: 'already-sent' }
  if (claim.state === 'busy') {
    // Another run is sending it right now (usually for milliseconds) or died holding the claim:
    // look again within a second rather than waiting out the whole claim.
    return {
      status: 'postponed',
      delayMs: Math.min(claim.retryInMs, 1000) + 50,
      reason: 'in-flight',
    }
  }
  try {
    const options = data.dropRepeats === true ? { repeatWindowSeconds: REPEAT_WINDOW_S } : {}
    await send(deps, data.target, data.reply, options)
  } catch (err) {
    // Nothing was delivered: give the claim back so the retry need not wait for it to expire.
    await ledger.release(data.deliveryId, token).catch(() => undefined)
    if (err instanceof PlatformApiError && err.permanent) {
      throw new UnrecoverableError(err.message)
    }
    throw err
  }
  await ledger.markSent(data.deliveryId, deps.now())
  return { status: 'sent' }
}

async function send(
  deps: DeliverDeps,
  target: PushTarget,
  reply: Reply,
  options: SendOptions,
): Promise<void> {
  if (target.kind === 'robot') {
    if (!deps.robots) throw new UnrecoverableError('no group robot sender is configured')
    await deps.robots.send(target.robot, reply)
    return
  }
  const adapter = deps.adapters.get(target.chat.platform)
  if (!adapter) throw new UnrecoverableError(`platform ${target.chat.platform} is not configured`)
  if (target.kind === 'reply' && repliesInContext(adapter)) {
    await adapter.sendReply(target.chat, target.context, reply)
    return
  }
  await adapter.send(target.chat, reply, options)
}

function limitOf(
  target: PushTarget,
  limits: SendLimits | false,
): { key: string; limit: SendLimit } | undefined {
  if (limits === false) return undefined
  if (target.kind === 'robot') {
    const robot = target.robot
    return robot.platform === 'wecom'
      ? { key: `wecom:robot:${robot.ref}`, limit: limits.wecomRobot }
      : { key: `dingtalk:robot:${robot.ref}`, limit: limits.dingtalkRobot }
  }
  const { chat } = target
  // App messages reach members one by one; the app cannot post into WeCom groups at all.
  if (chat.platform === 'wecom' && !chat.isGroup) {
    return { key: `wecom:member:${chat.chatId}`, limit: limits.wecomMember }
  }
  return undefined
}

/**
 * A stable, job-id-safe name of a target: no ':', never all digits, and distinct for distinct
 * targets (chat ids are percent-encoded, robots named by a digest of their credential).
 */
export function targetKey(target: PushTarget): string {
  if (target.kind === 'robot') {
    const { robot } = target
    return `${robot.platform}.robot.${robot.ref}`
  }
  const { chat } = target
  return `${chat.platform}.${chat.isGroup ? 'g' : 'u'}.${encodeURIComponent(chat.chatId)}`
}

/** How a target reads in 提醒计划 and logs: `wecom:zhangsan`, `钉钉群 cid…`, `企业微信群机器人`. */
export function describeTarget(target: PushTarget): string {
  if (target.kind === 'robot') {
    return target.robot.platform === 'wecom' ? '企业微信群机器人' : '钉钉群机器人'
  }
  const { chat } = target
  return chat.isGroup ? `群 ${chat.platform}:${chat.chatId}` : `${chat.platform}:${chat.chatId}`
}

// ---------------------------------------------------------------------------------------
// Custom reminders

export interface ReminderDeliverDeps extends DeliverDeps {
  reminders: ReminderStore
  /** Queues the next occurrence of a repeating reminder (ReminderScheduler.scheduleOccurrence). */
  scheduleOccurrence(reminder: Reminder, occurrence: number, at: Date): Promise<void>
}

/**
 * Delivers one occurrence of a custom reminder: reloads it, returns quietly when it was
 * cancelled or this occurrence is already done, sends it to the chat it was set in (ledger id
 * = the job id), then marks a one-off done or queues a repeating one's next occurrence and
 * advances it. Every step is safe to repeat. Throws UnrecoverableError when the record is gone.
 */
export async function deliverReminder(
  deps: ReminderDeliverDeps,
  data: ReminderJobData,
): Promise<DeliveryOutcome> {
  const reminder = await deps.reminders.get(data.reminderId)
  if (!reminder) throw new UnrecoverableError(`reminder #${data.reminderId} does not exist`)
  if (reminder.status === 'cancelled') return { status: 'cancelled' }
  if (reminder.status === 'done' || reminder.occurrence > data.occurrence) {
    return { status: 'already-sent' }
  }
  if (reminder.occurrence < data.occurrence) {
    // The previous occurrence's run has not advanced the record yet; retrying lets it finish.
    throw new Error(
      `reminder #${reminder.id} is at occurrence ${reminder.occurrence}, not ${data.occurrence}`,
    )
  }

  const outcome = await deliverPush(deps, {
    deliveryId: reminderJobId(reminder.id, data.occurrence),
    target: { kind: 'chat', chat: reminder.chat },
    reply: reminderReply(reminder),
    dropRepeats: true,
  })
  if (outcome.status === 'postponed') return outcome

  const now = deps.now()
  if (reminder.schedule.kind === 'once') {
    await deps.reminders.complete(reminder.id, data.occurrence, now)
  } else {
    // Queue the next one before advancing the record: a crash in between leaves the record at
    // this occurrence, and the re-run adds the same job id again (a no-op) and advances.
    const next =
      reminder.schedule.kind === 'daily' ? nextDailyAt(reminder, now) : nextWeeklyAt(reminder, now)
    await deps.scheduleOccurrence(reminder, data.occurrence + 1, next)
    await deps.reminders.advance(reminder.id, data.occurrence, next, now)
  }
  return outcome
}

/** The message a reminder delivers. */
export function reminderReply(reminder: Reminder): Reply {
  const head = `【提醒 #${reminder.id}】${reminder.text}`
  if (reminder.schedule.kind === 'once') return { text: head }
  return {
    text: `${head}\n（${repeatLabel(reminder.schedule)} 提醒；不再需要请回复「取消提醒 ${reminder.id}」）`,
  }
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

/** `每周一 09:00` or `每天 08:00` for a repeating schedule. */
export function repeatLabel(
  schedule:
    | { kind: 'weekly'; weekday: number; hour: number; minute: number }
    | {
        kind: 'daily'
        hour: number
        minute: number
      },
): string {
  if (schedule.kind === 'weekly') return weeklyLabel(schedule)
  const hh = String(schedule.hour).padStart(2, '0')
  const mm = String(schedule.minute).padStart(2, '0')
  return `每天 ${hh}:${mm}`
}

/** `每周一 09:00` for a weekly schedule. */
export function weeklyLabel(schedule: { weekday: number; hour: number; minute: number }): string {
  const hh = String(schedule.hour).padStart(2, '0')
  const mm = String(schedule.minute).padStart(2, '0')
  return `每周${WEEKDAYS[schedule.weekday]} ${hh}:${mm}`
}

/**
 * The first occurrence of a weekly reminder after its current one that is still ahead of
 * `now` (weeks missed while no worker ran are skipped, not sent in a burst).
 */
export function nextWeeklyAt(reminder: Reminder, now: Date): Date {
  if (reminder.schedule.kind !== 'weekly') throw new Error('not a weekly reminder')
  const { hour, minute, timezone } = reminder.schedule
  let day = localDateOf(new Date(reminder.at), timezone)
  let at: Date
  do {
    day = addDays(day, 7)
    at = instantAt(day, hour, minute, timezone)
  } while (at.getTime() <= now.getTime())
  return at
}

/**
 * The first occurrence of a daily reminder after its current one that is still ahead of `now`
 * (days missed while no worker ran are skipped, not sent in a burst). Counted in wall-clock days
 * of its zone, so 08:00 stays 08:00 across a DST change.
 */
export function nextDailyAt(reminder: Reminder, now: Date): Date {
  if (reminder.schedule.kind !== 'daily') throw new Error('not a daily reminder')
  const { hour, minute, timezone } = reminder.schedule
  let day = localDateOf(new Date(reminder.at), timezone)
  let at: Date
  do {
    day = addDays(day, 1)
    at = instantAt(day, hour, minute, timezone)
  } while (at.getTime() <= now.getTime())
  return at
}
