import { decrypt, encrypt, getSignature } from '@wecom/crypto'
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

const WECOM = WECOM_TEST_ENV
const wecomKeys = {
  token: WECOM.WECOM_TOKEN,
  encodingAesKey: WECOM.WECOM_ENCODING_AES_KEY,
  corpId: WECOM.WECOM_CORP_ID,
}
const xml = new XMLParser({ processEntities: false, parseTagValue: false })
const nowSeconds = () => String(Math.floor(Date.now() / 1000))

function wecomText(from: string, content: string, msgId: string): string {
  return `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${nowSeconds()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`
}

function postWecom(t: TestBot, req: ReturnType<typeof sealWecomCallback>) {
  return t.http
    .post('/webhooks/wecom')
    .query(req.query as Record<string, string>)
    .set('content-type', 'text/xml')
    .send(req.rawBody.toString('utf8'))
}

describe('WeCom webhook, end to end', () => {
  let t: TestBot
  afterEach(async () => {
    await t.cleanup()
  })

  it('when WeCom verifies the URL at the current time, echoes the plaintext', async () => {
    t = await createTestBot({ ...WECOM, ADMIN_USERS: 'wecom:zhangsan' })
    const timestamp = nowSeconds()
    const echostr = encrypt(WECOM.WECOM_ENCODING_AES_KEY, '8372641094', WECOM.WECOM_CORP_ID)

    const res = await t.http.get('/webhooks/wecom').query({
      msg_signature: getSignature(WECOM.WECOM_TOKEN, timestamp, '123456', echostr),
      timestamp,
      nonce: '123456',
      echostr,
    })

    expect(res.status).toBe(200)
    expect(res.text).toBe('8372641094')
  })

  it('when a registered user sends 帮助, the passive reply decrypts, verifies and is addressed to the sender', async () => {
    t = await createTestBot({ ...WECOM, ADMIN_USERS: 'wecom:zhangsan' })
    const req = sealWecomCallback(wecomKeys, wecomText('zhangsan', '帮助', '4561255354251345929'), {
      timestamp: nowSeconds(),
    })

    const res = await postWecom(t, req)

    expect(res.status).toBe(200)
    const outer = xml.parse(res.text).xml as Record<string, string>
    expect(getSignature(WECOM.WECOM_TOKEN, outer.TimeStamp!, outer.Nonce!, outer.Encrypt!)).toBe(
      outer.MsgSignature,
    )
    const { message, id } = decrypt(WECOM.WECOM_ENCODING_AES_KEY, outer.Encrypt!)
    expect(id).toBe(WECOM.WECOM_CORP_ID)
    const inner = xml.parse(message).xml as Record<string, string>
    expect(inner.ToUserName).toBe('zhangsan')
    expect(inner.FromUserName).toBe(WECOM.WECOM_CORP_ID)
    expect(inner.Content).toContain('双拥助手可用命令')
  })

  it('when WeCom redelivers the same MsgId, answers 200 empty the second time', async () => {
    t = await createTestBot({ ...WECOM, ADMIN_USERS: 'wecom:zhangsan' })
    const inner = wecomText('zhangsan', '设置角色 wecom:lisi 领导', '4561255354251345930')

    const first = await postWecom(
      t,
      sealWecomCallback(wecomKeys, inner, { timestamp: nowSeconds() }),
    )
    const second = await postWecom(
      t,
      sealWecomCallback(wecomKeys, inner, { timestamp: nowSeconds() }),
    )

    expect(first.text).not.toBe('')
    expect(second.status).toBe(200)
    expect(second.text).toBe('')
  })

  it('when the signature is forged, answers 401 and processes nothing', async () => {
    t = await createTestBot({ ...WECOM, ADMIN_USERS: 'wecom:zhangsan' })
    const req = sealWecomCallback(
      wecomKeys,
      wecomText('zhangsan', '设置角色 wecom:lisi 领导', '1'),
      {
        timestamp: nowSeconds(),
      },
    )
    req.query.msg_signature = '0'.repeat(40)

    const res = await postWecom(t, req)

    expect(res.status).toBe(401)
    expect(await t.redis.hlen(t.keys.roles())).toBe(0)
  })

  it('when the timestamp is 11 minutes old, answers 401', async () => {
    t = await createTestBot({ ...WECOM })
    const stale = String(Math.floor(Date.now() / 1000) - 11 * 60)

    const res = await postWecom(
      t,
      sealWecomCallback(wecomKeys, wecomText('zhangsan', '帮助', '2'), { timestamp: stale }),
    )

    expect(res.status).toBe(401)
  })

  it('when the body is not XML, answers 400', async () => {
    t = await createTestBot({ ...WECOM })
    const req = sealWecomCallback(wecomKeys, wecomText('zhangsan', '帮助', '3'), {
      timestamp: nowSeconds(),
    })

    const res = await t.http
      .post('/webhooks/wecom')
      .query(req.query as Record<string, string>)
      .send('<xml><Encrypt>')

    expect(res.status).toBe(400)
  })

  it('when the body is an XML entity bomb, answers 400 without expanding it', async () => {
    t = await createTestBot({ ...WECOM })
    const entities = Array.from(
      { length: 10 },
      (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`,
    ).join('')
    const bomb = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY l0 "lol">${entities}]><xml><Encrypt>&l10;</Encrypt></xml>`

    const res = await t.http
      .post('/webhooks/wecom')
      .query({ msg_signature: 'x', timestamp: nowSeconds(), nonce: '1' })
      .send(bomb)

    expect(res.status).toBe(400)
  })

  it('when the body is over 1 MiB, answers 413', async () => {
    t = await createTestBot({ ...WECOM })

    const res = await t.http
      .post('/webhooks/wecom')
      .query({ msg_signature: 'x', timestamp: nowSeconds(), nonce: '1' })
      .set('content-type', 'text/xml')
      .send(`<xml>${'a'.repeat(1024 * 1024)}</xml>`)

    expect(res.status).toBe(413)
  })

  it('when the message is an image, acknowledges it with 200 empty', async () => {
    t = await createTestBot({ ...WECOM, ADMIN_USERS: 'wecom:zhangsan' })
    const image = `<xml><ToUserName>${WECOM.WECOM_CORP_ID}</ToUserName><FromUserName>zhangsan</FromUserName><CreateTime>${nowSeconds()}</CreateTime><MsgType>image</MsgType><PicUrl>http://x/y.jpg</PicUrl><MediaId>m</MediaId><MsgId>77</MsgId><AgentID>1000002</AgentID></xml>`

    const res = await postWecom(t, sealWecomCallback(wecomKeys, image, { timestamp: nowSeconds() }))

    expect(res.status).toBe(200)
    expect(res.text).toBe('')
  })
})

describe('DingTalk webhook, end to end', () => {
  let t: TestBot
  let fake: FakeDingtalk
  const appKey = 'dingbotappkey123'
  const appSecret = 'app-secret-for-tests'

  afterEach(async () => {
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

  function callback(content: string, msgId: string) {
    return robotCallback('text-single', {
      text: { content },
      msgId,
      createAt: Date.now(),
      sessionWebhook: fake.sessionWebhookUrl('s-1'),
      sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
    })
  }

  it('when a user sends 帮助 with a valid sign, answers 200 and the reply arrives on the sessionWebhook', async () => {
    await setUp()
    const req = signedRobotRequest(callback('帮助', 'msg-help-1'), appSecret, Date.now())

    const res = await t.http
      .post('/webhooks/dingtalk')
      .set(req.headers as Record<string, string>)
      .send(req.rawBody.toString('utf8'))
    const pushed = await fake.waitFor((r) => r.kind === 'session')

    expect(res.status).toBe(200)
    expect(pushed.kind === 'session' && JSON.stringify(pushed.body)).toContain('双拥助手可用命令')
  })

  it('when the sign is forged, answers 401 and sends nothing', async () => {
    await setUp()
    const req = signedRobotRequest(callback('帮助', 'msg-help-2'), 'not-the-secret', Date.now())

    const res = await t.http
      .post('/webhooks/dingtalk')
      .set(req.headers as Record<string, string>)
      .send(req.rawBody.toString('utf8'))
    await t.bot.settle()

    expect(res.status).toBe(401)
    expect(fake.received).toEqual([])
  })

  it('when the timestamp is over an hour old, answers 401', async () => {
    await setUp()
    const req = signedRobotRequest(
      callback('帮助', 'msg-help-3'),
      appSecret,
      Date.now() - 61 * 60_000,
    )

    const res = await t.http
      .post('/webhooks/dingtalk')
      .set(req.headers as Record<string, string>)
      .send(req.rawBody.toString('utf8'))

    expect(res.status).toBe(401)
  })

  it('when the JSON is malformed, answers 400', async () => {
    await setUp()
    const req = signedRobotRequest('{"msgtype": "text", ', appSecret, Date.now())

    const res = await t.http
      .post('/webhooks/dingtalk')
      .set(req.headers as Record<string, string>)
      .send(req.rawBody.toString('utf8'))

    expect(res.status).toBe(400)
  })
})
