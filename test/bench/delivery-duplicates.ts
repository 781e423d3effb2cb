import { EventEmitter } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import type { FetchLike } from '../../src/platforms/types.js'
import { connectRedis } from '../../src/records/redis.js'
import type { PushJobData, PushTarget } from '../../src/reminders/deliver.js'
import { JOB, SEND_JOB_OPTIONS } from '../../src/reminders/job.js'
import { createTestBot } from '../support/bot.js'
import { startFakeDingtalk } from '../support/fake-dingtalk.js'
import { startFakeWecom } from '../support/fake-wecom.js'
import { TEST_REDIS_URL } from '../support/redis.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'

/**
 * `npx tsx test/bench/delivery-duplicates.ts`: kills a push worker mid-send KILLS times per
 * platform and counts the reminders a member received twice (docs/delivery-duplicates.md).
 *
 * Each round queues REMINDERS reminders to distinct members and lets one worker (default
 * concurrency 4) send them through the local fake platform, whose answer comes 300–1500 ms
 * after it took the message: the worst case, since every send in flight at the kill has
 * already been delivered. After a random number of deliveries the worker is killed (its Redis
 * connection cut, so neither its `sent` marks nor its claim releases land) and a second worker
 * finishes the round. Sandbox pushes are a Redis write, with no vendor to re-send to, so they
 * are not measured.
 */

const KILLS = Number(process.env.KILLS ?? 5)
const REMINDERS = Number(process.env.REMINDERS ?? 40)
const CORP = { corpId: 'ww1436e0e65a779aee', secret: 'app-secret', agentId: 1000002 }
const DINGTALK = { appKey: 'ding-app-key', appSecret: 'ding-app-secret', robotCode: 'ding-app-key' }

interface Platform {
  name: string
  dropRepeats: boolean
  start(): Promise<{
    env: Record<string, string>
    target(i: number): PushTarget
    deliveriesPerMember(): Map<string, number>
    /** Called at the kill: the vendor's clock may move on (the survivor comes late). */
    afterKill?(): void
    close(): Promise<void>
  }>
}

const member = (platform: 'wecom' | 'dingtalk', chatId: string): PushTarget => ({
  kind: 'chat',
  chat: { platform, chatId, isGroup: false },
})

/** `lateBy`: how long after the kill the survivor's re-send reaches WeCom, ms. */
const wecom = (name: string, dropRepeats: boolean, lateBy = 0): Platform => ({
  name,
  dropRepeats,
  async start() {
    let offset = 0
    const fake = await startFakeWecom({ ...CORP, now: () => Date.now() + offset })
    return {
      afterKill: () => {
        offset = lateBy
      },
      env: {
        WECOM_CORP_ID: CORP.corpId,
        WECOM_AGENT_ID: String(CORP.agentId),
        WECOM_SECRET: CORP.secret,
        WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
        WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
        WECOM_API_BASE: fake.url,
      },
      target: (i) => member('wecom', `u${i}`),
      deliveriesPerMember: () => countBy(fake.received.messages.map((m) => m.touser)),
      close: () => fake.close(),
    }
  },
})

const dingtalk: Platform = {
  name: 'dingtalk (robot OpenAPI)',
  dropRepeats: true,
  async start() {
    const fake = await startFakeDingtalk(DINGTALK)
    return {
      env: {
        DINGTALK_APP_KEY: DINGTALK.appKey,
        DINGTALK_APP_SECRET: DINGTALK.appSecret,
        DINGTALK_API_BASE: fake.url,
        DINGTALK_OAPI_BASE: fake.url,
      },
      target: (i) => member('dingtalk', `staff${i}`),
      deliveriesPerMember: () =>
        countBy(fake.received.flatMap((r) => (r.kind === 'batchSend' ? r.userIds : []))),
      close: () => fake.close(),
    }
  },
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return counts
}

const randomBetween = (min: number, max: number) => min + Math.floor(Math.random() * (max - min))

/**
 * fetch whose answer comes 300–1500 ms after the vendor took the request. Emits `sent` when a
 * send was taken; `unanswered()` is how many taken sends still wait for their answer.
 */
function slowVendorFetch(sends: EventEmitter): { fetch: FetchLike; unanswered: () => number } {
  let unanswered = 0
  const slow = (async (input, init) => {
    const response = await fetch(input, init)
    const isSend = !/gettoken|accessToken/.test(String(input))
    if (isSend) {
      unanswered += 1
      sends.emit('sent')
    }
    await sleep(randomBetween(300, 1500))
    if (isSend) unanswered -= 1
    return response
  }) as FetchLike
  return { fetch: slow, unanswered: () => unanswered }
}

async function round(platform: Platform): Promise<{ inFlight: number; duplicates: number }> {
  const vendor = await platform.start()
  const sends = new EventEmitter()
  const slow = slowVendorFetch(sends)
  const t = await createTestBot(vendor.env, { fetch: slow.fetch })
  const events = await queueEventsOf(t)
  const tuning = { lockDurationMs: 600, stalledIntervalMs: 200, claimTtlMs: 1000, backoffMs: 10 }
  const doomedRedis = (await connectRedis(TEST_REDIS_URL, 'request')) as Redis
  const doomed = startTestWorkers(t, { ...tuning, redis: doomedRedis })

  const killAfter = randomBetween(1, Math.floor(REMINDERS / 2))
  let accepted = 0
  const killPoint = new Promise<void>((resolve) =>
    sends.on('sent', () => {
      accepted += 1
      if (accepted === killAfter) resolve()
    }),
  )
  const jobs = await t.queue.addBulk(
    Array.from({ length: REMINDERS }, (_, i) => {
      const data: PushJobData = {
        deliveryId: `dup-${i}`,
        target: vendor.target(i),
        reply: { text: `【提醒 #${i}】交表` },
        dropRepeats: platform.dropRepeats,
      }
      return { name: JOB.push, data, opts: { ...SEND_JOB_OPTIONS, jobId: data.deliveryId } }
    }),
  )
  await killPoint
  // Taken by the vendor, answer not yet back: these are the sends that can come back twice.
  const inFlight = slow.unanswered()
  doomedRedis.disconnect()
  await doomed.close({ force: true })
  vendor.afterKill?.()
  const survivor = startTestWorkers(t, tuning)
  await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 120_000)))

  const counts = vendor.deliveriesPerMember()
  let duplicates = 0
  for (const n of counts.values()) duplicates += Math.max(0, n - 1)
  if (counts.size !== REMINDERS) throw new Error(`${platform.name}: ${counts.size} delivered`)
  await survivor.close({ force: true })
  await events.close()
  await t.cleanup()
  await vendor.close()
  return { inFlight, duplicates }
}

const platforms = [
  wecom('wecom (dropRepeats)', true),
  wecom('wecom (re-sent 4 h after)', true, 4 * 3600_000 + 1000),
  wecom('wecom (no duplicate check)', false),
  dingtalk,
]
for (const platform of platforms) {
  let duplicates = 0
  let inFlight = 0
  for (let i = 0; i < KILLS; i++) {
    const result = await round(platform)
    duplicates += result.duplicates
    inFlight += result.inFlight
  }
  console.log(
    `delivery-duplicates ${platform.name}: ${duplicates} delivered twice of ${inFlight} ` +
      `in flight at ${KILLS} kills (${KILLS * REMINDERS} reminders)`,
  )
}
process.exit(0)
