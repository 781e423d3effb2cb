import { mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import { parseArgs } from 'node:util'
import { Queue } from 'bullmq'
import { startWorkers, type RunningWorkers } from '../jobs/worker.js'
import { createBot } from './compose.js'
import {
  loadConfig,
  publicUrlWarning,
  readEnvironment,
  sandboxWarning,
  type Config,
} from './config.js'
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js'
import { ConfigError } from './errors.js'
import { createLogger, type Logger } from './log.js'
import { Metrics } from './metrics.js'
import { QUEUE } from './reminders/job.js'
import { Keys } from './records/keys.js'
import { connectRedis, redisPersists, type RedisClient } from './records/redis.js'
import { resolveSecretKey } from './secret-key.js'
import { systemClock } from './time/clock.js'

type Role = 'web' | 'worker' | 'all'

/**
 * Composition root: configuration → Redis (embedded or REDIS_URL) → the HTTP app and/or
 * the BullMQ workers, per `--role` → graceful shutdown on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const role = readRole()
  let config: Config
  try {
    config = loadConfig(readEnvironment())
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`双拥助手 cannot start: ${err.problems.length} configuration problem(s)`)
    for (const problem of err.problems) console.error(`  - ${problem}`)
    process.exit(1)
  }
  // The root logger goes to every component, each naming itself in `logger`; main's own lines
  // say bot:main (a child of a child would repeat the key).
  const rootLog = createLogger({ level: config.logLevel })
  const log = rootLog.child({ logger: 'bot:main' })
  const sandboxRisk = sandboxWarning(config)
  if (sandboxRisk) log.warn(sandboxRisk)
  const localLinks = publicUrlWarning(config)
  if (localLinks) log.warn(localLinks)
  mkdirSync(config.dataDir, { recursive: true })
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir)

  let embedded: EmbeddedRedis | undefined
  if (!config.redisUrl)
    embedded = await startEmbeddedRedis({ dataDir: config.dataDir, log: rootLog })
  const redisUrl = config.redisUrl ?? embedded!.url
  const redis = await connectRedis(redisUrl, 'request')
  const bullRedis = await connectRedis(redisUrl, 'bullmq')
  if (config.redisUrl && !(await redisPersists(redis).catch(() => true))) {
    log.warn(
      'this Redis does not persist (appendonly no and no save points): the bot is the system of record, so acknowledged records would be lost on a Redis restart. Set appendonly yes (see README).',
    )
  }
  const keys = new Keys()
  // The web and worker roles read the same clock: what is due is decided in one place.
  const now = systemClock
  const metrics = new Metrics({ defaultMetrics: true })

  // One queue for web (reminder commands, dashboard) and worker (weekly chains, fan-out) roles.
  const queue = new Queue(QUEUE, { connection: bullRedis, prefix: keys.bullPrefix() })
  queue.on('error', (err) => log.error({ err }, 'reminders queue error'))

  let workers: RunningWorkers | undefined
  const bot = createBot({
    config,
    redis,
    keys,
    secretKey,
    log: rootLog,
    metrics,
    workersReady: () => role === 'web' || (workers?.isRunning() ?? false),
    queue,
    now,
  })
  if (role !== 'web') {
    workers = startWorkers({
      bullRedis,
      redis,
      keys,
      log: rootLog,
      queue,
      adapters: bot.adapters,
      robots: bot.reminders.robots,
      reminders: bot.reminders.store,
      calendar: bot.reminders.calendar,
      deadlines: bot.reminders.deadlines,
      content: bot.reminders.content,
      timezone: config.timezone,
      now,
    })
  }

  let server: Server | undefined
  if (role !== 'worker') {
    server = bot.app.listen(config.port, config.host)
    await new Promise<void>((resolve, reject) => {
      server!.once('listening', resolve)
      server!.once('error', reject)
    })
    const sandbox = config.sandbox !== 'off' ? `; sandbox chat: ${config.publicUrl}/sandbox` : ''
    log.info(
      {
        role,
        port: config.port,
        wecom: !!config.wecom,
        dingtalk: config.dingtalk?.mode ?? false,
        sandbox: config.sandbox,
      },
      `双拥助手 listening on ${config.host}:${config.port}${sandbox}`,
    )
    // Stream mode: messages come in over a socket the bot dials, alongside the HTTP routes.
    bot.dingtalkStream?.start()
  } else {
    log.info({ role }, '双拥助手 workers running')
  }

  onShutdown(log, async () => {
    // Stop accepting, let in-flight requests and jobs finish, then close Redis.
    await bot.dingtalkStream?.stop()
    await new Promise<void>((resolve) => {
      if (!server) return resolve()
      server.close(() => resolve())
      // Idle keep-alive sockets would otherwise hold close() open until they time out.
      server.closeIdleConnections()
    })
    await workers?.close()
    await queue.close()
    await bot.settle()
    await closeQuietly(redis)
    await closeQuietly(bullRedis)
    await embedded?.stop()
  })
}

function readRole(): Role {
  const { values } = parseArgs({
    options: { role: { type: 'string', default: 'all' } },
    strict: false,
  })
  const role = values.role
  if (role === 'web' || role === 'worker' || role === 'all') return role
  console.error(`unknown --role ${String(role)}: use web, worker or all`)
  process.exit(1)
}

function onShutdown(log: Logger, close: () => Promise<void>): void {
  let closing = false
  const handler = (signal: string) => {
    if (closing) return
    closing = true
    log.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      log.error('shutdown took over 20 s; exiting')
      process.exit(1)
    }, 20_000)
    force.unref()
    close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed')
        process.exit(1)
      })
  }
  process.on('SIGTERM', handler)
  process.on('SIGINT', handler)
}

async function closeQuietly(client: RedisClient): Promise<void> {
  await client.quit().catch(() => client.disconnect())
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
