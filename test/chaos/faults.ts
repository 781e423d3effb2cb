import { Redis } from 'ioredis'
import { Keys } from '../../src/records/keys.js'
import type { PushJobData } from '../../src/reminders/deliver.js'
import { JOB, reminderJobId, SEND_JOB_OPTIONS } from '../../src/reminders/job.js'
import { until } from './processes.js'
import type { Stack } from './stack.js'
import {
  countStoredByTag,
  tallyDeliveries,
  tallyMessages,
  type DeliveryTally,
  type MessageTally,
} from './tally.js'
import { CHAOS_USERS, type Platform, type Traffic } from './traffic.js'

/** One fault's figures: the messages sent while it lasted, and any deliveries it measured. */
export interface FaultResult {
  fault: string
  messages?: MessageTally
  deliveries: { what: string; tally: DeliveryTally }[]
  /** What the fault did, for the detail line (`2 sends held at kill`). */
  notes?: string[]
  seconds: number
}

export interface FaultContext {
  stack: Stack
  traffic: Traffic
  short: boolean
}

const ALL: Platform[] = ['wecom', 'dingtalk', 'sandbox']

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Visit traffic on every platform for `durationMs` while `fault` runs beside it; then every
 * message's resends run out, the bot finishes what it holds, and the records are counted.
 */
async function underLoad(
  ctx: FaultContext,
  name: string,
  options: { durationMs: number; perSecond: number },
  fault: () => Promise<void>,
): Promise<FaultResult> {
  const started = performance.now()
  const from = ctx.traffic.sent.length
  await Promise.all([
    ctx.traffic.stream({
      platforms: ALL,
      perSecond: options.perSecond,
      durationMs: options.durationMs,
      max: Math.ceil((options.perSecond * options.durationMs) / 1000),
    }),
    fault(),
  ])
  await ctx.traffic.drain()
  const sent = ctx.traffic.sent.slice(from)
  const stored = await settledCounts(ctx)
  return {
    fault: name,
    messages: tallyMessages(sent, stored),
    deliveries: [],
    seconds: (performance.now() - started) / 1000,
  }
}

/**
 * The stored counts once they stop changing (a write the bot still held when the last answer
 * went out lands within a second or two), read at most for 20 s.
 */
async function settledCounts(ctx: FaultContext): Promise<Map<string, number>> {
  let last = ''
  let stable = 0
  let counts = new Map<string, number>()
  const deadline = performance.now() + 20_000
  while (stable < 3 && performance.now() < deadline) {
    await sleep(500)
    counts = await countStoredByTag(ctx.stack.redis.url).catch(() => counts)
    const signature = [...counts.values()].reduce((a, b) => a + b, 0) + '/' + counts.size
    stable = signature === last ? stable + 1 : 0
    last = signature
  }
  return counts
}

/** No fault: shows the run's own traffic is stored once each before anything breaks. */
export function baseline(ctx: FaultContext): Promise<FaultResult> {
  return underLoad(ctx, 'none', { durationMs: 3000, perSecond: 6 }, () => Promise.resolve())
}

export function freezeRedis(ctx: FaultContext): Promise<FaultResult> {
  // Frozen 8 s: past WeCom's 5 s and DingTalk's 3 s, short of a WeCom message's three tries.
  return underLoad(
    ctx,
    'redis-freeze',
    { durationMs: 11_000, perSecond: ctx.short ? 6 : 12 },
    async () => {
      await sleep(1000)
      ctx.stack.redis.freeze()
      await sleep(8000)
      ctx.stack.redis.thaw()
    },
  )
}

export function killRedis(ctx: FaultContext): Promise<FaultResult> {
  return underLoad(
    ctx,
    'redis-kill',
    { durationMs: ctx.short ? 6000 : 12_000, perSecond: ctx.short ? 8 : 16 },
    async () => {
      await sleep(2000)
      await ctx.stack.redis.kill()
      await ctx.stack.redis.start()
    },
  )
}

export function killBot(ctx: FaultContext): Promise<FaultResult> {
  return underLoad(
    ctx,
    'bot-kill',
    { durationMs: ctx.short ? 8000 : 14_000, perSecond: ctx.short ? 8 : 16 },
    async () => {
      await sleep(2000)
      await ctx.stack.web.kill()
      await ctx.stack.web.start()
    },
  )
}

/** A WeCom member's app chat: where reminders set there, and these pushes, are delivered. */
function wecomChat(user: string): PushJobData['target'] {
  return { kind: 'chat', chat: { platform: 'wecom', chatId: user, isGroup: false } }
}

/** Queues pushes as a campaign run fans them out; returns their markers. */
async function queuePushes(ctx: FaultContext, count: number): Promise<string[]> {
  const markers: string[] = []
  for (let i = 0; i < count; i += 1) {
    const { tag } = ctx.traffic.nextTag()
    const user = CHAOS_USERS.wecom[i % CHAOS_USERS.wecom.length]!
    const data: PushJobData = {
      deliveryId: `chaos-${tag}`,
      target: wecomChat(user),
      reply: { text: `【走访提醒】请核对名单 ${tag}` },
      dropRepeats: true,
    }
    await ctx.stack.queue.add(JOB.push, data, { ...SEND_JOB_OPTIONS, jobId: `chaos-${tag}` })
    markers.push(tag)
  }
  return markers
}

/**
 * Sets `count` one-minute reminders from WeCom chats, then runs their jobs now (promote): the
 * real reminder path, without waiting the minute out. Returns their markers.
 */
async function dueReminders(ctx: FaultContext, count: number): Promise<string[]> {
  const set = Array.from({ length: count }, () =>
    ctx.traffic.send('wecom', (tag) => `提醒 1分钟后 核对名单 ${tag}`),
  )
  await ctx.traffic.drain()
  const markers = set.filter((m) => m.acknowledged).map((m) => m.tag)
  const redis = new Redis(ctx.stack.redis.url, { maxRetriesPerRequest: 3 })
  try {
    const all = await redis.hgetall(new Keys().reminders())
    for (const json of Object.values(all)) {
      const reminder = JSON.parse(json) as { id: number; text: string; occurrence: number }
      if (!markers.some((tag) => reminder.text.includes(tag))) continue
      const job = await ctx.stack.queue.getJob(reminderJobId(reminder.id, reminder.occurrence))
      await job?.promote()
    }
  } finally {
    redis.disconnect()
  }
  return markers
}

function wecomDelivered(ctx: FaultContext): string[] {
  return ctx.stack.wecom.received.messages.map((m) => m.content)
}

async function waitDelivered(ctx: FaultContext, markers: string[], timeoutMs: number) {
  await until(
    'every push delivered',
    () => tallyDeliveries(markers, wecomDelivered(ctx)).never === 0,
    timeoutMs,
  ).catch(() => undefined)
}

/**
 * Kills the worker with sends in flight: WeCom holds some sends, half of them after it took the
 * message (only the answer is lost) and half before; once they are held the worker gets kill -9,
 * the held connections are cut, and a new worker starts. A killed worker's jobs come back after
 * BullMQ's lock (30 s) and stalled check (30 s), and its sent-ledger claims after 60 s, so the
 * figures are read up to 100 s later. `finish` can be awaited after other faults ran.
 */
export async function killWorker(
  ctx: FaultContext,
): Promise<{ finish: () => Promise<FaultResult> }> {
  const started = performance.now()
  const wecom = ctx.stack.wecom
  const reminders = await dueReminders(ctx, ctx.short ? 3 : 6)
  // Reminders run as soon as promoted: hold from the first send on.
  wecom.holdNextSends(ctx.short ? 2 : 3, 'after-delivery')
  const pushes = await queuePushes(ctx, ctx.short ? 6 : 12)
  const notes: string[] = []
  const repeatsBefore = wecom.received.repeatsDropped.length
  const killMidSend = async (stage: string, count: number, holdNext?: () => void) => {
    const held = await wecom.waitForHeld(count, 15_000).then(
      () => count,
      () => 0,
    )
    await ctx.stack.worker.kill()
    notes.push(`killed with ${held} sends held ${stage}`)
    wecom.dropHeld()
    holdNext?.()
    await ctx.stack.worker.start()
  }
  // The second worker takes the jobs nobody had started yet: it is killed in a send before
  // WeCom took it.
  await killMidSend('after delivery', ctx.short ? 2 : 3, () =>
    wecom.holdNextSends(1, 'before-delivery'),
  )
  await killMidSend('before delivery', 1)
  return {
    finish: async () => {
      await waitDelivered(ctx, [...reminders, ...pushes], 100_000)
      const delivered = wecomDelivered(ctx)
      const repeats = wecom.received.repeatsDropped.length - repeatsBefore
      notes.push(`WeCom's duplicate check dropped ${repeats} re-sends`)
      return {
        fault: 'worker-kill',
        notes,
        deliveries: [
          { what: 'reminders', tally: tallyDeliveries(reminders, delivered) },
          { what: 'pushes', tally: tallyDeliveries(pushes, delivered) },
        ],
        seconds: (performance.now() - started) / 1000,
      }
    },
  }
}

/** How WeCom's message/send answered so far: `errcode` (or -1000 for an HTTP error page) → count. */
function wecomAnswers(ctx: FaultContext): Map<number, number> {
  const answers = new Map<number, number>()
  for (const r of ctx.stack.wecom.received.requests) {
    if (r.path === '/cgi-bin/message/send')
      answers.set(r.errcode, (answers.get(r.errcode) ?? 0) + 1)
  }
  return answers
}

/**
 * WeCom's message/send fails in each way in turn, each met by two pushes of their own: -1
 * (system busy), a 502 page, a send that hangs until its connection is cut and, in the full
 * run, 45009 (the client then waits at least 60 s).
 */
async function wecomMisbehaves(ctx: FaultContext, pushes: string[]): Promise<string[]> {
  const wecom = ctx.stack.wecom
  const seen: string[] = []
  const answered = (errcode: number) => wecomAnswers(ctx).get(errcode) ?? 0
  const meet = async (what: string, errcode: number, fail: () => void) => {
    const before = answered(errcode)
    fail()
    pushes.push(...(await queuePushes(ctx, 2)))
    await until(`WeCom answering ${what}`, () => answered(errcode) >= before + 2, 15_000).catch(
      () => undefined,
    )
    seen.push(`${what} ×${answered(errcode) - before}`)
  }
  await meet('-1', -1, () => wecom.failNextSends(2, -1, 'system busy'))
  await meet('502', -1000, () => wecom.failNextSendsWithStatus(2, 502))
  if (!ctx.short) {
    await meet('45009', 45009, () => wecom.failNextSends(2, 45009, 'api freq out of limit'))
  }
  wecom.holdNextSends(1, 'before-delivery')
  pushes.push(...(await queuePushes(ctx, 1)))
  const held = await wecom.waitForHeld(1, 10_000).then(
    () => 1,
    () => 0,
  )
  // Cut before the client's own 10 s timeout, as a proxy's idle timeout would.
  await sleep(3000)
  wecom.dropHeld()
  seen.push(`hung ×${held}`)
  return seen
}

/**
 * The vendors misbehave while visits arrive: DingTalk's sessionWebhook answers -1, 130101, a
 * 502 and hangs for the replies; WeCom's message/send fails for the worker's pushes to members
 * (wecomMisbehaves). Inbound records must not care; replies and pushes are counted as
 * delivered 0/1/2+ times.
 */
export async function platformErrors(ctx: FaultContext): Promise<FaultResult> {
  const { dingtalk } = ctx.stack
  const session = '/robot/sendBySession'
  dingtalk.failNext(2, { status: 200, code: -1, message: '系统繁忙', path: session })
  dingtalk.failNext(2, { status: 200, code: 130101, message: 'send too fast', path: session })
  dingtalk.failNext(2, { status: 502, body: '<html>502 Bad Gateway</html>', path: session })
  dingtalk.failNext(1, { status: 0, hangUpMs: 12_000, path: session })
  const started = performance.now()
  const from = ctx.traffic.sent.length
  const pushes: string[] = []
  let wecomSeen: string[] = []
  const result = await underLoad(
    ctx,
    'platform-errors',
    { durationMs: ctx.short ? 6000 : 10_000, perSecond: ctx.short ? 6 : 10 },
    async () => {
      wecomSeen = await wecomMisbehaves(ctx, pushes)
    },
  )
  const dingtalkSent = ctx.traffic.sent
    .slice(from)
    .filter((m) => m.platform === 'dingtalk' && m.acknowledged)
  // A reply reaches the sessionWebhook (named by the message's marker) or, when that refuses
  // it, the OpenAPI (its text carries the marker, echoed from the note).
  const replies = () =>
    dingtalk.received.flatMap((r) =>
      r.kind === 'session'
        ? [r.session]
        : r.kind === 'batchSend' || r.kind === 'groupSend'
          ? [JSON.stringify(r.msgParam)]
          : [],
    )
  // Replies go out through the retried push queue too. A retry after 130101 waits 10 min,
  // past this wait: a reply still missing when it ends counts as delivered 0 times.
  const waitMs = ctx.short ? 30_000 : 100_000
  await until(
    'every push and reply delivered',
    () =>
      tallyDeliveries(pushes, wecomDelivered(ctx)).never === 0 &&
      tallyDeliveries(
        dingtalkSent.map((m) => m.tag),
        replies(),
      ).never === 0,
    waitMs,
  ).catch(() => undefined)
  result.seconds = (performance.now() - started) / 1000
  result.notes = [
    `WeCom message/send answered ${wecomSeen.join(', ')}`,
    'DingTalk sessionWebhook scripted to answer -1 ×2, 130101 ×2, 502 ×2, hang ×1',
  ]
  result.deliveries.push(
    {
      what: 'dingtalk replies',
      tally: tallyDeliveries(
        dingtalkSent.map((m) => m.tag),
        replies(),
      ),
    },
    { what: 'pushes', tally: tallyDeliveries(pushes, wecomDelivered(ctx)) },
  )
  return result
}
