import { encrypt, getSignature } from '@wecom/crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, type TestBot } from '../support/bot.js'
import { DINGTALK_TEST_APP, WECOM_TEST_ENV } from '../support/drivers.js'
import {
  robotCallback,
  signedRobotRequest,
  startFakeDingtalk,
  type FakeDingtalk,
} from '../support/fake-dingtalk.js'
import { sealWecomCallback } from '../support/fake-wecom.js'

// Hostile input before authentication (issue 10): each answer is a 4xx, never a 500, and
// nothing is stored. The clock is fixed: these tests are about bytes, not dates.
const AT = new Date('2027-03-10T02:00:00Z')
const now = () => AT
const seconds = String(Math.floor(AT.getTime() / 1000))
const wecomKeys = {
  token: WECOM_TEST_ENV.WECOM_TOKEN,
  encodingAesKey: WECOM_TEST_ENV.WECOM_ENCODING_AES_KEY,
  corpId: WECOM_TEST_ENV.WECOM_CORP_ID,
}

function nested(depth: number): string {
  return `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`
}

describe('POST /webhooks/wecom with hostile bodies', () => {
  let t: TestBot
  afterEach(async () => {
    await t.cleanup()
  })

  function post(query: Record<string, string>, body: string) {
    return t.http.post('/webhooks/wecom').query(query).set('content-type', 'text/xml').send(body)
  }

  it('when 70 KB of XML nests 10,000 deep with no valid signature, answers 400, not 500', async () => {
    t = await createTestBot(WECOM_TEST_ENV, { now })
    const body = `<xml>${nested(10_000)}</xml>`

    const res = await post({ msg_signature: 'x'.repeat(40), timestamp: seconds, nonce: '1' }, body)

    expect(body.length).toBeGreaterThan(70_000)
    expect(res.status).toBe(400)
  })

  it('when a validly signed message decrypts to XML nested 10,000 deep, answers 400', async () => {
    t = await createTestBot(WECOM_TEST_ENV, { now })
    const req = sealWecomCallback(wecomKeys, `<xml>${nested(10_000)}</xml>`, { timestamp: seconds })

    const res = await post(req.query as Record<string, string>, req.rawBody.toString('utf8'))

    expect(res.status).toBe(400)
  })

  it('when the body holds an Encrypt the signature does not cover, answers 401', async () => {
    t = await createTestBot(WECOM_TEST_ENV, { now })
    const encrypted = encrypt(wecomKeys.encodingAesKey, '<xml/>', wecomKeys.corpId)
    const signature = getSignature(wecomKeys.token, seconds, '1', `${encrypted}x`)

    const res = await post(
      { msg_signature: signature, timestamp: seconds, nonce: '1' },
      `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
    )

    expect(res.status).toBe(401)
  })

  it('when a signed body holds junk after its root, answers 400 and counts it under the webhook route', async () => {
    t = await createTestBot(WECOM_TEST_ENV, { now })
    const req = sealWecomCallback(wecomKeys, '<xml/>', { timestamp: seconds })

    const res = await post(
      req.query as Record<string, string>,
      `${req.rawBody.toString('utf8')}<xml><Encrypt>QUFB</Encrypt></xml>`,
    )

    expect(res.status).toBe(400)
    const metrics = await t.http.get('/metrics').expect(200)
    expect(metrics.text).toMatch(
      /bot_http_requests_total\{route="\/webhooks\/:platform",status="400"\} 1/,
    )
  })

  it('when the body is over 1 MiB, answers 413', async () => {
    t = await createTestBot(WECOM_TEST_ENV, { now })

    const res = await post(
      { msg_signature: 'x', timestamp: seconds, nonce: '1' },
      `<xml><Encrypt>${'A'.repeat(1024 * 1024)}</Encrypt></xml>`,
    )

    expect(res.status).toBe(413)
  })
})

describe('POST /webhooks/dingtalk with a captured timestamp/sign pair', () => {
  const admin = '0987654321'
  let t: TestBot
  let fake: FakeDingtalk

  afterEach(async () => {
    await t.cleanup()
    await fake.close()
  })

  async function setUp() {
    fake = await startFakeDingtalk({ ...DINGTALK_TEST_APP, robotCode: DINGTALK_TEST_APP.appKey })
    t = await createTestBot(
      {
        DINGTALK_APP_KEY: DINGTALK_TEST_APP.appKey,
        DINGTALK_APP_SECRET: DINGTALK_TEST_APP.appSecret,
        DINGTALK_API_BASE: fake.url,
        DINGTALK_OAPI_BASE: fake.url,
        ADMIN_USERS: `dingtalk:${admin}`,
      },
      { now },
    )
  }

  function callback(content: string, msgId: string) {
    return robotCallback('text-single', {
      text: { content },
      msgId,
      senderStaffId: admin,
      createAt: AT.getTime(),
      sessionWebhook: fake.sessionWebhookUrl('s-1'),
      sessionWebhookExpiredTime: AT.getTime() + 90 * 60_000,
    })
  }

  async function post(req: ReturnType<typeof signedRobotRequest>) {
    const res = await t.http
      .post('/webhooks/dingtalk')
      .set(req.headers as Record<string, string>)
      .send(req.rawBody.toString('utf8'))
    await t.bot.settle()
    return res
  }

  it('when the pair comes back with another body and msgId, answers 401 and stores nothing (gh-10)', async () => {
    await setUp()
    const signedAt = AT.getTime() - 5 * 60_000
    const genuine = signedRobotRequest(
      callback('帮助', 'msg-genuine'),
      DINGTALK_TEST_APP.appSecret,
      signedAt,
    )
    await post(genuine)
    const replayed = {
      ...genuine,
      rawBody: Buffer.from(
        JSON.stringify(callback('设置角色 dingtalk:intruder 管理员', 'msg-forged')),
      ),
    }

    const res = await post(replayed)

    expect(res.status).toBe(401)
    expect(await t.redis.hget(t.keys.roles(), 'dingtalk:intruder')).toBeNull()
    expect(fake.received.filter((r) => r.kind === 'session')).toHaveLength(1)
  })

  it('when DingTalk redelivers the same message with the same pair, answers 200 and handles it once', async () => {
    await setUp()
    const req = signedRobotRequest(
      callback('设置角色 dingtalk:lisi 领导', 'msg-role-1'),
      DINGTALK_TEST_APP.appSecret,
      AT.getTime(),
    )

    const first = await post(req)
    const again = await post(req)

    expect([first.status, again.status]).toEqual([200, 200])
    const replies = fake.received.flatMap((r) =>
      r.kind === 'session' ? [JSON.stringify(r.body)] : [],
    )
    expect(replies).toHaveLength(1)
    expect(replies[0]).toContain('已设置 dingtalk:lisi 为领导')
  })

  it('when a signed body is JSON nested 100,000 deep, answers 400', async () => {
    await setUp()
    const deep = `{"msgtype":"text","msgId":"m","text":${'['.repeat(100_000)}${']'.repeat(100_000)}}`

    const res = await post(signedRobotRequest(deep, DINGTALK_TEST_APP.appSecret, AT.getTime()))

    expect(res.status).toBe(400)
  })

  it('when the body is over 1 MiB, answers 413 before the sign is even read', async () => {
    await setUp()

    const res = await t.http
      .post('/webhooks/dingtalk')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ msgtype: 'text', text: { content: 'x'.repeat(1024 * 1024) } }))

    expect(res.status).toBe(413)
  })
})

describe('POST /sandbox/messages with hostile bodies', () => {
  it('when the JSON nests 100,000 deep, answers 400', async () => {
    const t = await createTestBot({}, { now })
    const deep = `{"user":"admin","text":${'['.repeat(100_000)}${']'.repeat(100_000)}}`

    const res = await t.http
      .post('/sandbox/messages')
      .set('content-type', 'application/json')
      .send(deep)
    await t.cleanup()

    expect(res.status).toBe(400)
  })
})
