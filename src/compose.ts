import type Koa from 'koa'
import { Dispatcher } from './bot/dispatch.js'
import { createCommands } from './commands/registry.js'
import type { Config } from './config.js'
import { createApp, type UrlVerifier } from './http/app.js'
import type { Logger } from './log.js'
import { Metrics } from './metrics.js'
import { DingtalkAdapter } from './platforms/dingtalk/adapter.js'
import { DingtalkClient } from './platforms/dingtalk/client.js'
import { SandboxAdapter } from './platforms/sandbox/adapter.js'
import type { FetchLike, Platform, PlatformAdapter } from './platforms/types.js'
import type { Keys } from './records/keys.js'
import { WecomAdapter } from './platforms/wecom/adapter.js'
import { WecomClient } from './platforms/wecom/client.js'
import type { RedisClient } from './records/redis.js'
import { RoleStore } from './records/role-store.js'
import { RedisOutbox } from './records/sandbox-outbox.js'
import { RedisTokenCache } from './records/token-cache.js'

export interface BotDeps {
  config: Config
  /** The fail-fast connection of the request path (see records/redis.ts). */
  redis: RedisClient
  keys: Keys
  log: Logger
  metrics?: Metrics
  /** Vendor HTTP; tests point it at local fake platforms. @defaultValue globalThis.fetch */
  fetch?: FetchLike
  now?: () => Date
  /** Readiness beyond Redis (the workers, in roles that run them). @defaultValue always ready */
  workersReady?: () => boolean
}

export interface Bot {
  app: Koa
  dispatcher: Dispatcher
  /** Every adapter that is on, the sandbox included: the senders of reminders and late replies. */
  adapters: ReadonlyMap<Platform, PlatformAdapter>
  metrics: Metrics
  /** Resolves when replies still being pushed (DingTalk sessionWebhook, late replies) are sent. */
  settle(): Promise<void>
}

/**
 * Wires stores, commands, adapters and the HTTP app from one Config. main.ts and the
 * tests both build the bot here, so the tests exercise the real wiring.
 */
export function createBot(deps: BotDeps): Bot {
  const { config, redis, keys, log } = deps
  const metrics = deps.metrics ?? new Metrics()
  const roles = new RoleStore(redis, keys)
  const commands = createCommands({ roles })
  const dispatcher = new Dispatcher({
    redis,
    keys,
    roles,
    commands,
    adminUsers: config.adminUsers,
    log,
    metrics,
    now: deps.now,
  })

  const adapters = new Map<Platform, PlatformAdapter>()
  const urlVerifiers: Partial<Record<Platform, UrlVerifier>> = {}
  const tokens = new RedisTokenCache(redis, keys)
  if (config.wecom) {
    const wecomLog = log.child({ logger: 'bot:wecom' })
    const client = new WecomClient({
      config: config.wecom,
      tokens,
      fetch: deps.fetch,
      log: wecomLog,
    })
    const wecom = new WecomAdapter({ config: config.wecom, client, log: wecomLog, now: deps.now })
    adapters.set('wecom', wecom)
    urlVerifiers.wecom = wecom
  }
  let dingtalk: DingtalkAdapter | undefined
  if (config.dingtalk) {
    const dingtalkLog = log.child({ logger: 'bot:dingtalk' })
    const client = new DingtalkClient({
      config: config.dingtalk,
      tokens,
      fetch: deps.fetch,
      log: dingtalkLog,
    })
    dingtalk = new DingtalkAdapter({
      config: config.dingtalk,
      client,
      log: dingtalkLog,
      now: deps.now,
    })
    adapters.set('dingtalk', dingtalk)
  }
  const outbox = new RedisOutbox(redis, keys)
  const sandbox = new SandboxAdapter({ outbox, now: deps.now })
  adapters.set('sandbox', sandbox)

  const app = createApp({
    adapters: new Map([...adapters].filter(([p]) => p !== 'sandbox')),
    urlVerifiers,
    dispatcher,
    sandbox: { mode: config.sandbox, adapter: sandbox, outbox },
    metrics,
    log,
    ready: async () => (await redis.ping()) === 'PONG' && (deps.workersReady?.() ?? true),
  })
  return { app, dispatcher, adapters, metrics, settle: async () => dingtalk?.pending() }
}
