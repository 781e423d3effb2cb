import { encrypt, getSignature } from '@wecom/crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DINGTALK_TEST_APP } from '../support/drivers.js'
import { robotCallback, signedRobotRequest } from '../support/fake-dingtalk.js'
import { seedTown } from '../support/town.js'
import {
  AT,
  AT_SECONDS,
  WECOM_KEYS,
  expectHealthy,
  fuzzParams,
  startFuzzBot,
  type FuzzBot,
  FUZZ_TIMEOUT_MS,
} from './fuzz-support.js'

// Issue 10, part 8: a registered user's write, delivered several times at once and again
// afterwards (a platform's redelivery racing the first attempt), is stored at most once, and
// no copy is answered with a 5xx other than 503.

/** Writes complete in one line (stored at once) and fuzzed ones (often a form's first step). */
const WRITE = fc.oneof(
  fc.constantFrom(
    '活动 座谈会 3月1日 人数40',
    '走访 李一 3月1日 日常 慰问金500元',
    '走访 王二 昨天 日常',
    '活动 晚会 今天 人数12',
  ),
  fc
    .tuple(
      fc.constantFrom('走访', '发放优待金', '活动'),
      fc.constantFrom('张三', '李一', '王二', '孙四', '座谈会', '晚会'),
      fc.constantFrom('', '昨天', '今天', '3月1日', '八一', '春节前三天'),
      fc.constantFrom('', '慰问金500元', '8600元', '人数40', '米一袋', '备注 需修缮'),
    )
    .map((parts) => parts.filter((p) => p !== '').join(' ')),
)

let sequence = 0

describe('fuzzing concurrent redeliveries of writes by registered users', () => {
  let fuzz: FuzzBot
  beforeAll(async () => {
    fuzz = await startFuzzBot({ ADMIN_USERS: 'wecom:fuzzadmin,dingtalk:fuzzstaff' })
    await seedTown(fuzz.t)
  })
  afterAll(async () => {
    await fuzz.close()
  })

  function wecomCopy(text: string) {
    const msgId = String(7_000_000_000_000_000_000n + BigInt(++sequence))
    const inner =
      `<xml><ToUserName><![CDATA[${WECOM_KEYS.corpId}]]></ToUserName>` +
      `<FromUserName><![CDATA[fuzzadmin]]></FromUserName><CreateTime>${AT_SECONDS}</CreateTime>` +
      `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content>` +
      `<MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`
    const encrypted = encrypt(WECOM_KEYS.encodingAesKey, inner, WECOM_KEYS.corpId)
    const query = {
      msg_signature: getSignature(WECOM_KEYS.token, AT_SECONDS, String(sequence), encrypted),
      timestamp: AT_SECONDS,
      nonce: String(sequence),
    }
    const body = `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`
    return () =>
      fuzz.t.http.post('/webhooks/wecom').query(query).set('content-type', 'text/xml').send(body)
  }

  function dingtalkCopy(text: string) {
    const body = robotCallback('text-single', {
      msgId: `fuzz-${++sequence}`,
      senderStaffId: 'fuzzstaff',
      text: { content: text },
      createAt: AT.getTime(),
      sessionWebhook: fuzz.dingtalk.sessionWebhookUrl(`s-${sequence}`),
      sessionWebhookExpiredTime: AT.getTime() + 3_600_000,
    })
    const req = signedRobotRequest(body, DINGTALK_TEST_APP.appSecret, AT.getTime() - sequence)
    return () =>
      fuzz.t.http
        .post('/webhooks/dingtalk')
        .set(req.headers as Record<string, string>)
        .send(req.rawBody.toString('utf8'))
  }

  it(
    'when one write arrives several times at once and once more later, it is stored at most once',
    async () => {
      const seeded = await fuzz.t.redis.hlen(fuzz.t.keys.records())
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('wecom', 'dingtalk'),
          WRITE,
          fc.integer({ min: 2, max: 4 }),
          async (platform, text, copies) => {
            const send = platform === 'wecom' ? wecomCopy(text) : dingtalkCopy(text)
            const before = await fuzz.t.redis.hlen(fuzz.t.keys.records())

            const answers = await Promise.all(Array.from({ length: copies }, () => send()))
            await fuzz.t.bot.settle()
            const late = await send()
            await fuzz.t.bot.settle()

            const statuses = [...answers, late].map((r) => r.status)
            expect(
              statuses.filter((s) => s !== 200 && s !== 503),
              `${text}: ${statuses}`,
            ).toEqual([])
            const stored = (await fuzz.t.redis.hlen(fuzz.t.keys.records())) - before
            expect(stored, `${platform} ${text}`).toBeLessThanOrEqual(1)
          },
        ),
        fuzzParams(25),
      )

      // Not vacuous: some of the fuzzed lines were complete writes and were stored.
      expect(await fuzz.t.redis.hlen(fuzz.t.keys.records())).toBeGreaterThan(seeded)
      await expectHealthy(fuzz.t)
    },
    FUZZ_TIMEOUT_MS,
  )
})
