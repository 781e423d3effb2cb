import type { QueueEvents } from 'bullmq'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningWorkers } from '../../jobs/worker.js'
import type { IncomingMessage } from '../../src/platforms/types.js'
import type { PushJobData } from '../../src/reminders/push-job.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { testClock } from '../support/clock.js'
import { startFakeWecom, type FakeWecom } from '../support/fake-wecom.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'

const CORP = { corpId: 'ww1436e0e65a779aee', secret: 'app-secret', agentId: 1000002 }
const WECOM = {
  WECOM_CORP_ID: CORP.corpId,
  WECOM_AGENT_ID: String(CORP.agentId),
  WECOM_SECRET: CORP.secret,
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
}
const clock = testClock('2026-11-28T02:00:00Z')

/** About 2.6 KB of lines: two app messages of at most 2048 bytes. */
const LONG = Array.from(
  { length: 50 },
  (_, i) => `${i + 1}. 铁炉嘴村 张三 八一走访 慰问金500元`,
).join('\n')

const message = (messageId: string): IncomingMessage => ({
  platform: 'wecom',
  messageId,
  chat: { platform: 'wecom', chatId: 'zhangsan', isGroup: false },
  sender: { userId: 'zhangsan' },
  text: '未走访 八一',
  receivedAt: clock(),
})

describe('a WeCom reply over 2048 bytes (issue 10)', () => {
  let fake: FakeWecom
  let t: TestBot
  let events: QueueEvents | undefined
  let workers: RunningWorkers | undefined

  afterEach(async () => {
    await workers?.close({ force: true })
    await events?.close()
    await t.cleanup()
    await fake.close()
  })

  async function bot(): Promise<void> {
    fake = await startFakeWecom(CORP)
    t = await createTestBot({ ...WECOM, WECOM_API_BASE: fake.url }, { now: clock })
  }

  it('is durably queued, its chunks in order in one push job, before the empty acknowledgement', async () => {
    await bot()
    fake.failNextSends(10, -1, 'system busy')

    const res = await t.bot.adapters
      .get('wecom')!
      .respond(message('7300000000000000101'), [{ text: LONG }])

    const job = await t.queue.getJob('reply-wecom-7300000000000000101-0')
    const data = job?.data as PushJobData | undefined
    expect(res).toEqual({ status: 200, body: '' })
    expect(data?.target).toEqual({
      kind: 'chat',
      chat: { platform: 'wecom', chatId: 'zhangsan', isGroup: false },
    })
    expect(data?.followUps?.map((push) => push.deliveryId)).toEqual([
      'reply-wecom-7300000000000000101-1',
    ])
  })

  it('when the first message/send answers -1 (system busy), is retried and each chunk delivered once, in order', async () => {
    await bot()
    events = await queueEventsOf(t)
    fake.failNextSends(1, -1, 'system busy')
    await t.bot.adapters.get('wecom')!.respond(message('7300000000000000102'), [{ text: LONG }])
    await t.bot.settle()

    workers = startTestWorkers(t)
    const job = await t.queue.getJob('reply-wecom-7300000000000000102-0')
    await job!.waitUntilFinished(events, 5000)

    const refused = fake.received.requests.filter((r) => r.errcode === -1)
    const delivered = fake.received.messages.map((m) => m.content)
    expect(refused).toHaveLength(1)
    expect(delivered).toHaveLength(2)
    expect(delivered.every((content) => Buffer.byteLength(content) <= 2048)).toBe(true)
    expect(delivered.join('\n')).toBe(LONG)
  })
})
