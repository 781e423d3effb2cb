import { decrypt } from '@wecom/crypto'
import { XMLParser } from 'fast-xml-parser'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, type TestBot } from '../support/bot.js'
import {
  robotCallback,
  signedRobotRequest,
  startFakeDingtalk,
  type FakeDingtalk,
} from '../support/fake-dingtalk.js'
import { sealWecomCallback } from '../support/fake-wecom.js'
import { WECOM_TEST_ENV } from '../support/drivers.js'
import { unwrapped, widthProblems } from '../support/reply-width.js'
import { CONSCRIPTS, payAll, seedTown } from '../support/town.js'

const WECOM = WECOM_TEST_ENV
const xml = new XMLParser({ processEntities: false, parseTagValue: false })

describe('统计 over the platforms (issue 4)', () => {
  let t: TestBot
  let fake: FakeDingtalk | undefined

  afterEach(async () => {
    await t.cleanup()
    await fake?.close()
    fake = undefined
  })

  it('over WeCom, a leader gets the allowance tally as text, a village per aligned line', async () => {
    t = await createTestBot({ ...WECOM, ADMIN_USERS: 'wecom:zhangsan' })
    await payAll(t, await seedTown(t), 2025, CONSCRIPTS)
    const seconds = String(Math.floor(Date.now() / 1000))
    const inner = `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${seconds}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[统计 优待金 2025]]></Content><MsgId>7001</MsgId><AgentID>1000002</AgentID></xml>`
    const req = sealWecomCallback(
      {
        token: WECOM.WECOM_TOKEN,
        encodingAesKey: WECOM.WECOM_ENCODING_AES_KEY,
        corpId: WECOM.WECOM_CORP_ID,
      },
      inner,
      { timestamp: seconds },
    )

    const res = await t.http
      .post('/webhooks/wecom')
      .query(req.query as Record<string, string>)
      .set('content-type', 'text/xml')
      .send(req.rawBody.toString('utf8'))

    expect(res.status).toBe(200)
    const outer = xml.parse(res.text).xml as Record<string, string>
    const reply = xml.parse(decrypt(WECOM.WECOM_ENCODING_AES_KEY, outer.Encrypt!).message)
      .xml as Record<string, string>
    expect(reply.MsgType).toBe('text')
    expect(unwrapped(reply.Content!)).toContain(
      '全镇：应发 10 户，已发 10 户（100%），共 71,800 元',
    )
    expect(reply.Content).toContain(
      '\n\n各村（已发/应发，金额）：\n铁炉嘴村　3/3 户 16,500 元\n童家坝村　3/3 户 22,100 元\n',
    )
    expect(widthProblems({ text: reply.Content! })).toEqual([])
  })

  it('over DingTalk, a leader gets it as markdown on the sessionWebhook, a village per list item', async () => {
    const appKey = 'dingbotappkey123'
    const appSecret = 'app-secret-for-tests'
    fake = await startFakeDingtalk({ appKey, appSecret, robotCode: appKey })
    t = await createTestBot({
      DINGTALK_APP_KEY: appKey,
      DINGTALK_APP_SECRET: appSecret,
      DINGTALK_API_BASE: fake.url,
      DINGTALK_OAPI_BASE: fake.url,
      ADMIN_USERS: 'dingtalk:0987654321',
    })
    await payAll(t, await seedTown(t), 2025, CONSCRIPTS)
    const callback = robotCallback('text-single', {
      text: { content: '统计 优待金 2025' },
      msgId: 'msg-tally-1',
      createAt: Date.now(),
      sessionWebhook: fake.sessionWebhookUrl('s-1'),
      sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
    })
    const req = signedRobotRequest(callback, appSecret, Date.now())

    const res = await t.http
      .post('/webhooks/dingtalk')
      .set(req.headers as Record<string, string>)
      .send(req.rawBody.toString('utf8'))
    const pushed = await fake.waitFor((r) => r.kind === 'session')

    expect(res.status).toBe(200)
    const body = pushed.kind === 'session' ? pushed.body : {}
    expect(body.msgtype).toBe('markdown')
    const markdown = body.markdown as { title: string; text: string }
    expect(markdown.title).toMatch(/^2025 年义务兵家庭优待金/)
    expect(markdown.text).toContain('共 71,800 元')
    expect(markdown.text).toMatch(/^\*\*2025 年义务兵家庭优待金（.+）\*\*\n\n/)
    expect(markdown.text).toContain(
      '\n\n- **铁炉嘴村** 3/3 户 16,500 元\n- **童家坝村** 3/3 户 22,100 元\n',
    )
    expect(widthProblems({ text: markdown.text })).toEqual([])
  })
})
