import type { Job, QueueEvents } from 'bullmq'
import type { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningWorkers } from '../../jobs/worker.js'
import { connectRedis } from '../../src/records/redis.js'
import { RedisOutbox } from '../../src/records/sandbox-outbox.js'
import { SendLedger } from '../../src/records/send-ledger.js'
import type { PushJobData, PushTarget } from '../../src/reminders/deliver.js'
import { JOB, SEND_JOB_OPTIONS } from '../../src/reminders/job.js'
import { ReminderScheduler } from '../../src/reminders/scheduler.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { startFakeDingtalk, type FakeDingtalk } from '../support/fake-dingtalk.js'
import { startFakeWecom, type FakeWecom } from '../support/fake-wecom.js'
import { TEST_REDIS_URL } from '../support/redis.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'

const CORP = { corpId: 'ww1436e0e65a779aee', secret: 'app-secret', agentId: 1000002 }
const wecomEnv = (fake: FakeWecom) => ({
  WECOM_CORP_ID: CORP.corpId,
  WECOM_AGENT_ID: String(CORP.agentId),
  WECOM_SECRET: CORP.secret,
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  WECOM_API_BASE: fake.url,
})
const DINGTALK = { appKey: 'ding-app-key', appSecret: 'ding-app-secret', robotCode: 'ding-app-key' }

const sandboxUser = (chatId: string): PushTarget => ({
  kind: 'chat',
  chat: { platform: 'sandbox', chatId, isGroup: false },
})
const wecomMember = (chatId: string): PushTarget => ({
  kind: 'chat',
  chat: { platform: 'wecom', chatId, isGroup: false },
})

describe('push worker', () => {
  let t: TestBot
  let events: QueueEvents
  let running: RunningWorkers[] = []
  let fakeWecom: FakeWecom | undefined
  let fakeDingtalk: FakeDingtalk | undefined

  const setUp = async (
    env: Record<string, string> = {},
    options: { now?: () => Date } = {},
  ): Promise<void> => {
    t = await createTestBot(env, options)
    events = await queueEventsOf(t)
  }

  afterEach(async () => {
    for (const w of running) await w.close({ force: true })
    running = []
    await events.close()
    await t.cleanup()
    await fakeWecom?.close()
    await fakeDingtalk?.close()
    fakeWecom = undefined
    fakeDingtalk = undefined
  })

  const push = (deliveryId: string, target: PushTarget, text = '【提醒】交表'): PushJobData => ({
    deliveryId,
    target,
    reply: { text },
  })

  const add = (data: PushJobData, jobId = data.deliveryId): Promise<Job> =>
    t.queue.add(JOB.push, data, { ...SEND_JOB_OPTIONS, jobId })
  const addAll = (items: { data: PushJobData; jobId: string }[]): Promise<Job[]> =>
    t.queue.addBulk(
      items.map(({ data, jobId }) => ({
        name: JOB.push,
        data,
        opts: { ...SEND_JOB_OPTIONS, jobId },
      })),
    )

  const outboxTexts = async () =>
    (await new RedisOutbox(t.redis, t.keys).list(100)).map((m) => [m.chatId, m.text])

  it('when a push job runs, the message reaches the sandbox outbox', async () => {
    await setUp()
    running.push(startTestWorkers(t))

    const job = await add(push('d1', sandboxUser('lisi')))
    const result = await job.waitUntilFinished(events, 5000)

    expect(result).toBe('sent')
    expect(await outboxTexts()).toEqual([['lisi', '【提醒】交表']])
  })

  it('when the same delivery runs twice (a retried or stalled job), sends it once', async () => {
    await setUp()
    running.push(startTestWorkers(t))

    await (await add(push('d2', sandboxUser('lisi')), 'push-2a')).waitUntilFinished(events, 5000)
    const again = await (
      await add(push('d2', sandboxUser('lisi')), 'push-2b')
    ).waitUntilFinished(events, 5000)

    expect(again).toBe('already-sent')
    expect(await outboxTexts()).toHaveLength(1)
  })

  it('when the target is a WeCom group robot, posts through its webhook key', async () => {
    fakeWecom = await startFakeWecom(CORP)
    await setUp(wecomEnv(fakeWecom))
    running.push(startTestWorkers(t))

    const target: PushTarget = {
      kind: 'robot',
      robot: t.bot.services.groups.seal({ platform: 'wecom', webhookKey: 'key-1' }),
    }
    await (
      await add(push('robot-1', target, '铁炉嘴村尚有 3 户未走访'))
    ).waitUntilFinished(events, 5000)

    expect(fakeWecom.received.robot).toEqual([
      { key: 'key-1', msgtype: 'text', content: '铁炉嘴村尚有 3 户未走访' },
    ])
  })

  it('when the target is a DingTalk custom robot with 加签, the fake accepts the sign', async () => {
    fakeDingtalk = await startFakeDingtalk(DINGTALK)
    await setUp({
      DINGTALK_APP_KEY: DINGTALK.appKey,
      DINGTALK_APP_SECRET: DINGTALK.appSecret,
      DINGTALK_API_BASE: fakeDingtalk.url,
      DINGTALK_OAPI_BASE: fakeDingtalk.url,
    })
    running.push(startTestWorkers(t))
    const { accessToken, secret } = fakeDingtalk.customRobot

    const target: PushTarget = {
      kind: 'robot',
      robot: t.bot.services.groups.seal({ platform: 'dingtalk', accessToken, secret }),
    }
    await (
      await add(push('robot-2', target, '童家坝村尚有 2 户未走访'))
    ).waitUntilFinished(events, 5000)

    const sent = await fakeDingtalk.waitFor((r) => r.kind === 'customRobot')
    expect(sent).toMatchObject({
      body: { msgtype: 'text', text: { content: '童家坝村尚有 2 户未走访' } },
    })
  })

  it('when WeCom answers a permanent error (81013), fails at once and 提醒计划 can list it', async () => {
    fakeWecom = await startFakeWecom(CORP)
    await setUp(wecomEnv(fakeWecom))
    running.push(startTestWorkers(t))
    fakeWecom.failNextSends(1, 81013, 'all recipients invalid')

    const job = await add(push('perm-1', wecomMember('nobody')))
    await expect(job.waitUntilFinished(events, 5000)).rejects.toThrow(/81013/)

    const failed = await t.queue.getJob('perm-1')
    expect(failed?.attemptsMade).toBe(1)
    const { total, recent } = await new ReminderScheduler({
      queue: t.queue,
      now: t.clock,
    }).failedDeliveries(5)
    expect(total).toBe(1)
    expect(recent[0]).toMatchObject({ jobId: 'perm-1', subject: 'wecom:nobody' })
  })

  it('when the first send answers -1 (busy), retries and delivers once with one token fetch', async () => {
    fakeWecom = await startFakeWecom(CORP)
    await setUp(wecomEnv(fakeWecom))
    running.push(startTestWorkers(t))
    fakeWecom.failNextSends(1, -1, 'system busy')

    const job = await add(push('busy-1', wecomMember('zhangsan')))
    await job.waitUntilFinished(events, 5000)

    expect(fakeWecom.received.messages).toEqual([
      { touser: 'zhangsan', msgtype: 'text', agentid: CORP.agentId, content: '【提醒】交表' },
    ])
    expect(fakeWecom.tokenFetches).toBe(1)
    // One failed attempt, one that delivered.
    expect((await t.queue.getJob('busy-1'))?.attemptsMade).toBe(2)
  })

  it('when WeCom expires the shared token early (42001), the worker fetches a new one once', async () => {
    fakeWecom = await startFakeWecom(CORP)
    await setUp(wecomEnv(fakeWecom))
    running.push(startTestWorkers(t))
    await (await add(push('tok-1', wecomMember('zhangsan')))).waitUntilFinished(events, 5000)

    fakeWecom.expireToken()
    await (await add(push('tok-2', wecomMember('zhangsan')))).waitUntilFinished(events, 5000)

    expect(fakeWecom.received.messages).toHaveLength(2)
    expect(fakeWecom.tokenFetches).toBe(2)
    expect(fakeWecom.received.requests.map((r) => r.errcode)).toEqual([0, 0, 42001, 0, 0])
  })

  it('when 31 messages go to one member within a minute, the 31st waits for the window', async () => {
    fakeWecom = await startFakeWecom(CORP)
    const now = new Date('2026-11-28T02:00:00Z')
    await setUp(wecomEnv(fakeWecom), { now: () => now })
    const delayed = new Promise<{ jobId: string; delay: number }>((resolve) =>
      events.on('delayed', (args) => resolve(args as { jobId: string; delay: number })),
    )
    running.push(startTestWorkers(t, { now: () => now }))

    const jobs = await addAll(
      Array.from({ length: 31 }, (_, i) => ({
        data: push(`rate-${i}`, wecomMember('zhangsan')),
        jobId: `rate-${i}`,
      })),
    )
    const deferred = await delayed
    const others = jobs.filter((j) => j.id !== deferred.jobId)
    await Promise.all(others.map((j) => j.waitUntilFinished(events, 5000)))

    expect(fakeWecom.received.messages).toHaveLength(30)
    expect(await t.queue.getJobState(deferred.jobId)).toBe('delayed')
    // The whole window: every slot was taken at the same (injected) instant.
    expect(deferred.delay - Date.now()).toBeGreaterThan(55_000)
  })

  it('when a campaign push comes due at 22:00, it waits until 08:00; a custom one goes now', async () => {
    const now = new Date('2026-11-28T14:00:00Z') // 22:00 in Asia/Shanghai
    await setUp({}, { now: () => now })
    const delayed = new Promise<{ jobId: string; delay: number }>((resolve) =>
      events.on('delayed', (args) => resolve(args as { jobId: string; delay: number })),
    )
    running.push(startTestWorkers(t, { now: () => now }))

    await add({ ...push('quiet-1', sandboxUser('leader'), '【八一走访提醒】'), quietHours: true })
    const custom = await add(push('quiet-2', sandboxUser('lisi'), '【提醒 #1】交表'))
    await custom.waitUntilFinished(events, 5000)
    const deferred = await delayed

    expect(deferred.jobId).toBe('quiet-1')
    const tenHours = 10 * 3600 * 1000
    expect(Math.abs(deferred.delay - Date.now() - tenHours)).toBeLessThan(60_000)
    expect(await outboxTexts()).toEqual([['lisi', '【提醒 #1】交表']])
  })

  it('when a worker dies mid-send, another takes the stalled job over and sends once', async () => {
    fakeWecom = await startFakeWecom(CORP)
    await setUp(wecomEnv(fakeWecom))
    // A short lock so the takeover comes within a second, not 30 s. A loaded machine may let
    // the survivor's own lock lapse too and run the job again: how often the job stalls is
    // not what this proves, only that it is delivered once whatever the count.
    const lockTuning = { lockDurationMs: 600, stalledIntervalMs: 200 }
    const first = startTestWorkers(t, lockTuning)
    fakeWecom.holdNextSends(1)

    const job = await add(push('kill-1', wecomMember('zhangsan')))
    await fakeWecom.waitForHeld(1, 10_000)
    await first.close({ force: true })
    // The dead worker's send fails; being closed, it can record nothing against the job.
    fakeWecom.dropHeld()
    running.push(startTestWorkers(t, lockTuning))
    const result = await job.waitUntilFinished(events, 30_000)

    // 'already-sent' when a later run of the same job found the survivor's send recorded.
    expect(['sent', 'already-sent']).toContain(result)
    expect(await t.queue.getJobState('kill-1')).toBe('completed')
    expect(fakeWecom.received.messages).toEqual([
      { touser: 'zhangsan', msgtype: 'text', agentid: CORP.agentId, content: '【提醒】交表' },
    ])
    // Recorded as sent, so no run still to come can send it again.
    expect(await new SendLedger(t.redis, t.keys).isSent('kill-1')).toBe(true)
    // Taken over as a stalled job: the dead worker never gave it back.
    expect((await t.queue.getJob('kill-1'))?.stalledCounter).toBeGreaterThanOrEqual(1)
  }, 45_000)

  it('when a worker dies after WeCom took a reminder, the re-send is dropped by WeCom (gh-10)', async () => {
    fakeWecom = await startFakeWecom(CORP)
    await setUp(wecomEnv(fakeWecom))
    // Short lock and claim so the takeover comes within a second or two, not a minute.
    const tuning = { lockDurationMs: 600, stalledIntervalMs: 200, claimTtlMs: 500 }
    // The doomed worker's own connection: cutting it is kill -9 as Redis sees it, so neither
    // its `sent` mark nor the release of its claim ever lands.
    const doomedRedis = (await connectRedis(TEST_REDIS_URL, 'request')) as Redis
    const first = startTestWorkers(t, { ...tuning, redis: doomedRedis })
    fakeWecom.holdNextSends(1, 'after-delivery')

    const job = await add({ ...push('crash-1', wecomMember('zhangsan')), dropRepeats: true })
    await fakeWecom.waitForHeld(1, 10_000)
    doomedRedis.disconnect()
    await first.close({ force: true })
    fakeWecom.dropHeld()
    running.push(startTestWorkers(t, tuning))
    const result = await job.waitUntilFinished(events, 30_000)

    expect(result).toBe('sent')
    expect(fakeWecom.received.messages).toEqual([
      { touser: 'zhangsan', msgtype: 'text', agentid: CORP.agentId, content: '【提醒】交表' },
    ])
    // The survivor did send it again; WeCom answered ok and kept it from the member.
    expect(fakeWecom.received.repeatsDropped).toHaveLength(1)
    const resent = fakeWecom.received.requests.filter((r) => r.path === '/cgi-bin/message/send')
    expect(resent.map((r) => r.body)).toEqual([
      expect.objectContaining({ enable_duplicate_check: 1, duplicate_check_interval: 14_400 }),
      expect.objectContaining({ enable_duplicate_check: 1, duplicate_check_interval: 14_400 }),
    ])
  }, 45_000)

  it('when a push is not marked dropRepeats (a reply), WeCom is not asked to drop repeats', async () => {
    fakeWecom = await startFakeWecom(CORP)
    await setUp(wecomEnv(fakeWecom))
    running.push(startTestWorkers(t))

    await (await add(push('reply-1', wecomMember('zhangsan'), '统计'))).waitUntilFinished(events)
    await (await add(push('reply-2', wecomMember('zhangsan'), '统计'))).waitUntilFinished(events)

    expect(fakeWecom.received.messages.map((m) => m.content)).toEqual(['统计', '统计'])
    const sent = fakeWecom.received.requests.filter((r) => r.path === '/cgi-bin/message/send')
    expect(sent.map((r) => (r.body as Record<string, unknown>).enable_duplicate_check)).toEqual([
      undefined,
      undefined,
    ])
  })

  it('when two workers run the same deliveries at once, each is sent exactly once', async () => {
    await setUp()
    running.push(startTestWorkers(t, { concurrency: 8 }), startTestWorkers(t, { concurrency: 8 }))

    // Every delivery is queued twice under two job ids, as a re-planned campaign would.
    const jobs = await addAll(
      Array.from({ length: 40 }, (_, i) => ({
        data: push(`pair-${i % 20}`, sandboxUser(`u${i % 20}`), `消息 ${i % 20}`),
        jobId: `pair-job-${i}`,
      })),
    )
    const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 10_000)))

    const texts = (await outboxTexts()).map(([, text]) => text).sort()
    expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => `消息 ${i}`).sort())
    expect(results.filter((r) => r === 'sent')).toHaveLength(20)
  })
})
