import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { Keys } from '../../src/records/keys.js'
import { QUEUE } from '../../src/reminders/job.js'
import { DINGTALK_TEST_APP, WECOM_TEST_ENV } from '../support/drivers.js'
import { startFakeDingtalk, type FakeDingtalk } from '../support/fake-dingtalk.js'
import { startFakeWecom, type FakeWecom } from '../support/fake-wecom.js'
import { freePort } from '../support/net.js'
import { BotProcess, killOwnedAndWait, RedisServer } from './processes.js'
import { CHAOS_USERS } from './traffic.js'

/**
 * Everything one chaos run stands up, all on loopback: a temp dir, the fake WeCom and DingTalk
 * APIs, a redis-server of its own, the bot's web process and a separate worker process.
 */
export interface Stack {
  dir: string
  redis: RedisServer
  web: BotProcess
  worker: BotProcess
  wecom: FakeWecom
  dingtalk: FakeDingtalk
  botUrl: string
  timezone: string
  /** A BullMQ queue on the run's Redis, to hand the worker pushes as campaign runs do. */
  queue: Queue
  /** Stops everything it started; removes the temp dir unless `keep`. */
  close(options?: { keep?: boolean }): Promise<void>
}

const TIMEZONE = 'Asia/Shanghai'

/** `onDir` learns the temp dir first, so a start that fails half-way can still be cleaned up. */
export async function startStack(onDir: (dir: string) => void): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-chaos-'))
  onDir(dir)
  const wecom = await startFakeWecom({
    corpId: WECOM_TEST_ENV.WECOM_CORP_ID,
    secret: WECOM_TEST_ENV.WECOM_SECRET,
    agentId: Number(WECOM_TEST_ENV.WECOM_AGENT_ID),
  })
  const dingtalk = await startFakeDingtalk({
    appKey: DINGTALK_TEST_APP.appKey,
    appSecret: DINGTALK_TEST_APP.appSecret,
    robotCode: DINGTALK_TEST_APP.appKey,
  })
  const redis = new RedisServer(dir, await freePort())
  await redis.start()
  const port = await freePort()
  const admins = [
    'sandbox:admin',
    ...Object.entries(CHAOS_USERS).flatMap(([platform, users]) =>
      users.map((u) => `${platform}:${u}`),
    ),
  ]
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: redis.url,
    DATA_DIR: join(dir, 'data'),
    BOT_TIMEZONE: TIMEZONE,
    SANDBOX: 'on',
    ADMIN_USERS: admins.join(','),
    SECRET_KEY: 'chaos-secret-key-0123456789abcdef0123456789',
    LOG_LEVEL: 'info',
    ...WECOM_TEST_ENV,
    WECOM_API_BASE: wecom.url,
    DINGTALK_APP_KEY: DINGTALK_TEST_APP.appKey,
    DINGTALK_APP_SECRET: DINGTALK_TEST_APP.appSecret,
    DINGTALK_API_BASE: dingtalk.url,
    DINGTALK_OAPI_BASE: dingtalk.url,
  }
  const web = new BotProcess('web', env, dir)
  const worker = new BotProcess('worker', env, dir)
  await Promise.all([web.start(), worker.start()])
  const bullRedis = new Redis(redis.url, { maxRetriesPerRequest: null })
  bullRedis.on('error', () => undefined)
  const queue = new Queue(QUEUE, { connection: bullRedis, prefix: new Keys().bullPrefix() })
  queue.on('error', () => undefined)

  let closed = false
  return {
    dir,
    redis,
    web,
    worker,
    wecom,
    dingtalk,
    botUrl: `http://127.0.0.1:${port}`,
    timezone: TIMEZONE,
    queue,
    async close(options = {}) {
      if (closed) return
      closed = true
      await queue.close().catch(() => undefined)
      bullRedis.disconnect()
      await Promise.allSettled([web.stop(), worker.stop()])
      await redis.stop().catch(() => undefined)
      await killOwnedAndWait(5000)
      await Promise.allSettled([wecom.close(), dingtalk.close()])
      if (!options.keep) rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
    },
  }
}

/**
 * For an interrupted or failed run: kill what it started and, once those processes are gone
 * (a dying Redis or bot still writes into the dir), remove the temp dir.
 */
export async function abandonStack(dir: string | undefined): Promise<void> {
  await killOwnedAndWait(5000)
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
}
