import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
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
import { sealWecomCallback, startFakeWecom, type FakeWecom } from '../support/fake-wecom.js'
import { adminMeta } from '../support/town.js'

const log = createSilentLogger()
const clock = testClock('2026-07-30T02:00:00Z')
const CORP = {
  corpId: WECOM_TEST_ENV.WECOM_CORP_ID,
  secret: WECOM_TEST_ENV.WECOM_SECRET,
  agentId: Number(WECOM_TEST_ENV.WECOM_AGENT_ID),
}

/** ioredis options reaching `url` (`unix://` or `redis://`) with `options`. */
function connect(url: string, options: ConstructorParameters<typeof Redis>[0] & object): Redis {
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
  let fake: FakeWecom | undefined
  let queue: Queue | undefined
  const clients: (Redis | RedisClient)[] = []

  afterEach(async () => {
    await queue?.close()
    for (const client of clients.splice(0)) client.disconnect()
    await fake?.close()
    await server?.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('answers 503 until the message is stored, stores it once, and pushes its reply once', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-'))
    server = await startEmbeddedRedis({ dataDir, log })
    fake = await startFakeWecom(CORP)
    // Slower than WeCom's 4 s deadline yet inside the command timeout: the gap where the
    // deadline, not a timeout, decides (a DingTalk deadline equals the 3 s timeout).
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
      config: loadConfig({
        ...WECOM_TEST_ENV,
        WECOM_API_BASE: fake.url,
        ADMIN_USERS: 'wecom:zhangsan',
      }),
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
    const records = await redis.hlen(keys.records())
    const http = supertest(bot.app.callback())
    const post = () => {
      const req = wecomCallback('走访 张三 2026-07-28 八一 慰问金500元', '7300000000000000201')
      return http
        .post('/webhooks/wecom')
        .query(req.query as Record<string, string>)
        .set('content-type', 'text/xml')
        .send(req.rawBody.toString('utf8'))
    }
    await pauser.call('CLIENT', 'PAUSE', '7000', 'ALL')

    const first = await post()
    // WeCom's retry while the first attempt still waits on Redis behind its lease.
    const during = await post()
    const reply = await fake.waitFor((r) => r.path.endsWith('/message/send'), 10_000)
    const after = await post()

    expect(first.status).toBe(503)
    expect(during.status).toBe(503)
    expect(after.status).toBe(200)
    expect(after.text).toBe('')
    expect(await redis.hlen(keys.records())).toBe(records + 1)
    expect(reply.errcode).toBe(0)
    expect(fake.received.messages.map((m) => m.content)).toEqual([
      expect.stringMatching(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/),
    ])
  }, 20_000)
})
