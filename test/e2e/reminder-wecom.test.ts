import type { QueueEvents } from 'bullmq'
import { decrypt } from '@wecom/crypto'
import { XMLParser } from 'fast-xml-parser'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningWorkers } from '../../jobs/worker.js'
import { reminderJobId } from '../../src/reminders/job.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { sealWecomCallback, startFakeWecom, type FakeWecom } from '../support/fake-wecom.js'
import { testClock } from '../support/clock.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'

const CORP = { corpId: 'ww1436e0e65a779aee', secret: 'app-secret', agentId: 1000002 }
const WECOM = {
  WECOM_CORP_ID: CORP.corpId,
  WECOM_AGENT_ID: String(CORP.agentId),
  WECOM_SECRET: CORP.secret,
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
}
const xml = new XMLParser({ processEntities: false, parseTagValue: false })

// 2026-11-28 (a Saturday) 10:00 in Asia/Shanghai; the test moves it on to the reminder's time.
const clock = testClock('2026-11-28T02:00:00Z')

describe('a custom reminder set through WeCom', () => {
  let fake: FakeWecom
  let t: TestBot
  let events: QueueEvents
  let workers: RunningWorkers

  afterEach(async () => {
    await workers.close({ force: true })
    await events.close()
    await t.cleanup()
    await fake.close()
  })

  it('reaches WeCom exactly once, to the sender and the agent, though the first send answers -1', async () => {
    fake = await startFakeWecom(CORP)
    t = await createTestBot(
      { ...WECOM, WECOM_API_BASE: fake.url, ADMIN_USERS: 'wecom:zhangsan' },
      { now: clock },
    )
    events = await queueEventsOf(t)
    workers = startTestWorkers(t)
    fake.failNextSends(1, -1, 'system busy')
    const timestamp = String(Math.floor(clock().getTime() / 1000))
    const inner = `<xml><ToUserName><![CDATA[${CORP.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[提醒 5分钟后 交表]]></Content><MsgId>7300000000000000001</MsgId><AgentID>${CORP.agentId}</AgentID></xml>`
    const req = sealWecomCallback(
      {
        token: WECOM.WECOM_TOKEN,
        encodingAesKey: WECOM.WECOM_ENCODING_AES_KEY,
        corpId: CORP.corpId,
      },
      inner,
      { timestamp },
    )

    const res = await t.http
      .post('/webhooks/wecom')
      .query(req.query as Record<string, string>)
      .set('content-type', 'text/xml')
      .send(req.rawBody.toString('utf8'))
    // BullMQ waits on the real clock: the bot's clock moves on and the job is promoted.
    const job = await t.queue.getJob(reminderJobId(1, 1))
    expect(await job!.getState()).toBe('delayed')
    clock.advance(5 * 60_000)
    await job!.promote()
    const result = await job!.waitUntilFinished(events, 5000)

    const outer = xml.parse(res.text).xml as Record<string, string>
    const reply = xml.parse(decrypt(WECOM.WECOM_ENCODING_AES_KEY, outer.Encrypt!).message)
      .xml as Record<string, string>
    expect(reply.Content).toMatch(/^已设提醒 #1：.*交表。取消请回复「取消提醒 1」$/)
    expect(result).toBe('sent')
    expect(fake.received.messages).toEqual([
      { touser: 'zhangsan', msgtype: 'text', agentid: CORP.agentId, content: '【提醒 #1】交表' },
    ])
    expect(fake.received.requests.map((r) => [r.path, r.errcode])).toEqual([
      ['/cgi-bin/gettoken', 0],
      ['/cgi-bin/message/send', -1],
      ['/cgi-bin/message/send', 0],
    ])
    expect(fake.tokenFetches).toBe(1)
  })
})
