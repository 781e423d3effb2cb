import type { QueueEvents } from 'bullmq'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningWorkers } from '../../jobs/worker.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import {
  robotCallback,
  signedRobotRequest,
  startFakeDingtalk,
  type FakeDingtalk,
} from '../support/fake-dingtalk.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'

const appKey = 'dingbotappkey123'
const appSecret = 'app-secret-for-tests'

describe('DingTalk replies go through the retried push queue (issue 10)', () => {
  let t: TestBot
  let fake: FakeDingtalk
  let events: QueueEvents | undefined
  let workers: RunningWorkers | undefined

  afterEach(async () => {
    await workers?.close({ force: true })
    await events?.close()
    await t.cleanup()
    await fake.close()
  })

  async function setUp() {
    fake = await startFakeDingtalk({ appKey, appSecret, robotCode: appKey })
    t = await createTestBot({
      DINGTALK_APP_KEY: appKey,
      DINGTALK_APP_SECRET: appSecret,
      DINGTALK_API_BASE: fake.url,
      DINGTALK_OAPI_BASE: fake.url,
      ADMIN_USERS: 'dingtalk:0987654321',
    })
  }

  function post(content: string, msgId: string) {
    const body = robotCallback('text-single', {
      text: { content },
      msgId,
      createAt: Date.now(),
      sessionWebhook: fake.sessionWebhookUrl('s-queue'),
      sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
    })
    const req = signedRobotRequest(body, appSecret, Date.now())
    return t.http
      .post('/webhooks/dingtalk')
      .set(req.headers as Record<string, string>)
      .send(req.rawBody.toString('utf8'))
  }

  it('when a message is answered 200, its reply is already a queued job for its sessionWebhook', async () => {
    await setUp()
    fake.failNext(10, { status: 502, path: '/robot/sendBySession' })

    const res = await post('帮助', 'msg-queued-1')

    const job = await t.queue.getJob('reply-dingtalk-msg-queued-1-0')
    expect(res.status).toBe(200)
    expect(job?.data.target).toMatchObject({
      kind: 'reply',
      chat: { platform: 'dingtalk', isGroup: false },
      context: { sessionWebhook: fake.sessionWebhookUrl('s-queue') },
    })
  })

  it('when the sessionWebhook and the OpenAPI first answer 502, the reply is retried and arrives once', async () => {
    await setUp()
    events = await queueEventsOf(t)
    fake.failNext(1, { status: 502, path: '/robot/sendBySession' })
    fake.failNext(1, { status: 502, path: '/v1.0/robot/oToMessages/batchSend' })
    await post('帮助', 'msg-queued-2')
    await t.bot.settle()

    workers = startTestWorkers(t)
    await (await t.queue.getJob('reply-dingtalk-msg-queued-2-0'))!.waitUntilFinished(events, 5000)

    const sessionPosts = fake.requests.filter((r) => r.path.startsWith('/robot/sendBySession'))
    const delivered = fake.received.filter((r) => r.kind !== 'token')
    expect(sessionPosts.map((r) => r.status)).toEqual([502, 200])
    expect(delivered.map((r) => r.kind)).toEqual(['session'])
    expect(JSON.stringify(delivered[0])).toContain('双拥助手可用命令')
  })
})
