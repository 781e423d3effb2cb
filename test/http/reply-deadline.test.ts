import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import { Redis, type RedisOptions } from 'ioredis'
import supertest from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { createBot } from '../../src/compose.js'
import { loadConfig } from '../../src/config.js'
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/embedded-redis.js'
import { createSilentLogger } from '../../src/log.js'
import { Keys } from '../../src/records/keys.js'
import { connectRedis, type RedisClient } from '../../src/records/redis.js'
import { QUEUE } from '../../src/reminders/job.js'
import { TEST_SECRET_KEY } from '../support/bot.js'
import { testClock } from '../support/clock.js'
import { WECOM_TEST_ENV } from '../support/drivers.js'
import { robotCallback, signedRobotRequest, startFakeDingtalk } from '../support/fake-dingtalk.js'
import { sealWecomCallback, startFakeWecom } from '../support/fake-wecom.js'
import { adminMeta } from '../support/town.js'

const log = createSilentLogger()
const VISIT = '走访 张三 2026-07-28 八一 慰问金500元'
const clock = testClock('2026-07-30T02:00:00Z')
const CORP = {
  corpId: WECOM_TEST_ENV.WECOM_CORP_ID,
  secret: WECOM_TEST_ENV.WECOM_SECRET,
  agentId: Number(WECOM_TEST_ENV.WECOM_AGENT_ID),
}

/** ioredis options reaching `url` (`unix://` or `redis://`) with `options`. */
function connect(url: string, options: RedisOptions): Redis {
  return url.startsWith('unix://')
    ? new Redis({ ...options, path: url.slice('unix://'.length) })
    : new Redis(url, options)
}

/** A WeCom text message from zhangsan, sealed as WeCom seals a callback. */
function wecomCallback(text: string, msgId: string) {
  const createTime = String(Math.floor(clock().getTime() / 1000))
  const inner = `<xml><ToUserName><![CDATA[${CORP.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>${CORP.agentId}</AgentID></xml>`
  return sealWecomCallback(
    {
      token: WECOM_TEST_ENV.WECOM_TOKEN,
      encodingAesKey: WECOM_TEST_ENV.WECOM_ENCODING_AES_KEY,
      corpId: CORP.corpId,
    },
    inner,
    { timestamp: createTime },
  )
}

describe('a Redis stall longer than the reply deadline (issue 10)', () => {
  let dataDir: string | undefined
  let server: EmbeddedRedis | undefined
  const closers: (() => Promise<void>)[] = []
  let signed = 0
  let queue: Queue | undefined
  const clients: (Redis | RedisClient)[] = []

  afterEach(async () => {
    await queue?.close()
    for (const client of clients.splice(0)) client.disconnect()
    for (const close of closers.splice(0)) await close()
    await server?.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  interface Platform {
    env: Record<string, string>
    post: (http: ReturnType<typeof supertest>) => supertest.Test
    /** Resolves once the reply reached the platform; then every reply it received. */
    replies: () => Promise<string[]>
  }

  async function wecom(): Promise<Platform> {
    const wecomFake = await startFakeWecom(CORP)
    closers.push(() => wecomFake.close())
    return {
      env: { ...WECOM_TEST_ENV, WECOM_API_BASE: wecomFake.url, ADMIN_USERS: 'wecom:zhangsan' },
      post: (http) => {
        const req = wecomCallback(VISIT, '7300000000000000201')
        return http
          .post('/webhooks/wecom')
          .query(req.query as Record<string, string>)
          .set('content-type', 'text/xml')
          .send(req.rawBody.toString('utf8'))
      },
      replies: async () => {
        await wecomFake.waitFor((r) => r.path.endsWith('/message/send') && r.errcode === 0, 10_000)
        return wecomFake.received.messages.map((m) => m.content)
      },
    }
  }

  async function dingtalk(): Promise<Platform> {
    const app = { appKey: 'dingbotappkey123', appSecret: 'app-secret-for-tests' }
    const dingtalkFake = await startFakeDingtalk({ ...app, robotCode: app.appKey })
    closers.push(() => dingtalkFake.close())
    return {
      env: {
        DINGTALK_APP_KEY: app.appKey,
        DINGTALK_APP_SECRET: app.appSecret,
        DINGTALK_API_BASE: dingtalkFake.url,
        DINGTALK_OAPI_BASE: dingtalkFake.url,
        ADMIN_USERS: 'dingtalk:0987654321',
      },
      post: (http) => {
        const body = robotCallback('text-single', {
          text: { content: VISIT },
          msgId: 'msg-stall-1',
          createAt: clock().getTime(),
          sessionWebhook: dingtalkFake.sessionWebhookUrl('s-stall'),
          sessionWebhookExpiredTime: clock().getTime() + 90 * 60_000,
        })
        // Each resend is signed anew, as DingTalk does; the pair is then new, the msgId not.
        const req = signedRobotRequest(body, app.appSecret, clock().getTime() - ++signed)
        return http
          .post('/webhooks/dingtalk')
          .set(req.headers as Record<string, string>)
          .send(req.rawBody.toString('utf8'))
      },
      replies: async () => {
        await dingtalkFake.waitFor((r) => r.kind === 'session', 10_000)
        return dingtalkFake.received.flatMap((r) =>
          r.kind === 'session' ? [String((r.body.text as { content?: string }).content)] : [],
        )
      },
    }
  }

  for (const [name, platform] of [
    ['WeCom (4 s)', wecom],
    ['DingTalk (3 s)', dingtalk],
  ] as const) {
    it(`over ${name}: answers 503 until the visit is stored, stores it once and pushes its reply once`, async () => {
      const { env, post, replies } = await platform()
      const { http, redis, keys, pauser } = await botOn(env)
      const records = await redis.hlen(keys.records())
      await pauser.call('CLIENT', 'PAUSE', '7000', 'ALL')

      const first = await post(http)
      // The platform's resend while the first attempt still waits on Redis, behind its lease.
      const during = await post(http)
      const delivered = await replies()
      const after = await post(http)

      expect(first.status).toBe(503)
      expect(during.status).toBe(503)
      expect(after.status).toBe(200)
      expect(await redis.hlen(keys.records())).toBe(records + 1)
      expect(delivered).toEqual([
        expect.stringMatching(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/),
      ])
    }, 20_000)
  }

  async function botOn(env: Record<string, string>) {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-'))
    server = await startEmbeddedRedis({ dataDir, log })
    // Slower than the platform's deadline yet inside the command timeout: the gap where the
    // deadline, not a timeout, decides.
    const redis = connect(server.url, {
      commandTimeout: 15_000,
      maxRetriesPerRequest: 1,
      enableAutoPipelining: true,
    })
    const bull = connect(server.url, { maxRetriesPerRequest: null })
    const pauser = await connectRedis(server.url, 'bullmq')
    clients.push(redis, bull, pauser)
    const keys = new Keys()
    queue = new Queue(QUEUE, { connection: bull, prefix: keys.bullPrefix() })
    const bot = createBot({
      config: loadConfig(env),
      redis,
      keys,
      secretKey: TEST_SECRET_KEY,
      log,
      now: clock,
      queue,
    })
    await bot.services.villages.addVillage('铁炉嘴村', adminMeta())
    await bot.services.people.addPerson(
      { name: '张三', village: '铁炉嘴村', category: '残疾军人' },
      adminMeta(),
    )
    return { http: supertest(bot.app.callback()), redis, keys, pauser }
  }
})
