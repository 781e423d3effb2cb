import type { Queue } from 'bullmq'
import type Koa from 'koa'
import { Dispatcher, MessageInFlightError } from './bot/dispatch.js'
import { FormEngine } from './bot/forms.js'
import { createCommands, createForms } from './commands/registry.js'
import type { RecordServices } from './commands/services.js'
import type { Config } from './config.js'
import { StoreUnavailableError, WebhookPayloadError } from './errors.js'
import { ExportLinks } from './exports/export-link.js'
import { createExportDownloads } from './exports/export-route.js'
import { RosterChecks } from './exports/roster-changes.js'
import { XlsxExporter } from './exports/xlsx-export.js'
import { mountQueueDashboard } from './http/admin-queues.js'
import { createApp, type UrlVerifier } from './http/app.js'
import type { Logger } from './log.js'
import { Metrics } from './metrics.js'
import { DingtalkAdapter } from './platforms/dingtalk/adapter.js'
import { DingtalkClient } from './platforms/dingtalk/client.js'
import { DingtalkStream, type StreamVerdict } from './platforms/dingtalk/stream.js'
import { createGroupRobotSender } from './platforms/group-robot-sender.js'
import { SandboxAdapter } from './platforms/sandbox/adapter.js'
import type { FetchLike, IncomingMessage, Platform, PlatformAdapter } from './platforms/types.js'
import type { Keys } from './records/keys.js'
import { MessageCommits } from './records/message-commits.js'
import { WecomAdapter } from './platforms/wecom/adapter.js'
import { WecomClient } from './platforms/wecom/client.js'
import { ActivityStore } from './records/activity-store.js'
import { AllowanceStore } from './records/allowance-store.js'
import { GroupStore } from './records/group-store.js'
import { PeopleStore } from './records/people-store.js'
import { Pii } from './records/pii.js'
import { RecordStore } from './records/record-store.js'
import type { RedisClient } from './records/redis.js'
import { RoleStore } from './records/role-store.js'
import { TallyReader } from './records/tally-reader.js'
import { VillageStore } from './records/village-store.js'
import { VisitStore } from './records/visit-store.js'
import { createWorkCalendar, type WorkCalendar } from './reminders/calendar.js'
import { StoredAllowanceDeadlines } from './reminders/allowance-deadlines.js'
import { RecordCampaignContent } from './reminders/campaign-content.js'
import type { AllowanceDeadlineSource, CampaignContent } from './reminders/campaigns.js'
import type { GroupRobotSender } from './reminders/deliver.js'
import { ReminderScheduler } from './reminders/scheduler.js'
import { SendingPushQueue } from './reminders/sending-push-queue.js'
import { ReminderStore } from './records/reminder-store.js'
import { CampaignLedger } from './records/campaign-ledger.js'
import { FirstAdmin } from './records/first-admin.js'
import { RedisOutbox } from './records/sandbox-outbox.js'
import { RedisTokenCache } from './records/token-cache.js'
import { RedisSignLedger } from './records/sign-ledger.js'
import type { Clock } from './time/clock.js'

export interface BotDeps {
  config: Config
  /** The fail-fast connection of the request path (see records/redis.ts). */
  redis: RedisClient
  keys: Keys
  /** SECRET_KEY (or the generated one): encrypts ID numbers and phones at rest. */
  secretKey: string
  log: Logger
  metrics?: Metrics
  /** Vendor HTTP; tests point it at local fake platforms. @defaultValue globalThis.fetch */
  fetch?: FetchLike
  /** The one clock of every component built here (time/clock.ts). */
  now: Clock
  /** Readiness beyond Redis (the workers, in roles that run them). @defaultValue always ready */
  workersReady?: () => boolean
  /**
   * The `reminders` queue (main.ts builds it on the `bullmq` connection with keys.bullPrefix()).
   * Absent: the reminder commands and the queue dashboard are off.
   */
  queue?: Queue
  /** Reconnect and keep-alive timing of the DingTalk Stream (tests shorten them). */
  dingtalkStreamTiming?: { reconnectDelayMs?: number; keepAliveMs?: number }
}

/** What the worker role needs of the reminders, built once here. */
export interface BotReminders {
  store: ReminderStore
  calendar: WorkCalendar
  deadlines: AllowanceDeadlineSource
  content: CampaignContent
  /** Sends to push-only group robots (WeCom 消息推送, DingTalk custom robot). */
  robots: GroupRobotSender
}

export interface Bot {
  app: Koa
  dispatcher: Dispatcher
  /** Every adapter that is on, the sandbox included: the senders of reminders and late replies. */
  adapters: ReadonlyMap<Platform, PlatformAdapter>
  metrics: Metrics
  services: RecordServices
  reminders: BotReminders
  /** The DingTalk Stream connection (DINGTALK_MODE=stream); main.ts starts it in web roles. */
  dingtalkStream?: DingtalkStream
  /** Resolves when replies being pushed now (DingTalk sessionWebhook, queued replies' first tries) are settled. */
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
  const commits = new MessageCommits()
  const services = createRecordServices(deps, roles, commits)
  const forms = new FormEngine({ redis, keys }, createForms(services))
  const reminders = createReminderServices(deps, services)
  const scheduler = deps.queue && new ReminderScheduler({ queue: deps.queue, now: deps.now })
  const exportLinks = new ExportLinks({ secretKey: deps.secretKey, publicUrl: config.publicUrl })
  const rosterChecks = new RosterChecks({ redis, keys, commits })
  const commands = createCommands(
    Object.assign({}, services, { forms: () => forms }),
    scheduler && {
      reminders: reminders.store,
      scheduler,
      failures: scheduler,
      calendar: reminders.calendar,
      deadlines: reminders.deadlines,
      timezone: config.timezone,
    },
    { links: exportLinks, checks: rosterChecks, townshipName: config.townshipName },
  )
  const dispatcher = new Dispatcher({
    redis,
    keys,
    roles,
    commands,
    adminUsers: config.adminUsers,
    log,
    metrics,
    conversation: forms,
    now: deps.now,
    commits,
  })

  const adapters = new Map<Platform, PlatformAdapter>()
  const urlVerifiers: Partial<Record<Platform, UrlVerifier>> = {}
  // Replies sent after the HTTP answer: queued, then tried at once (docs/delivery.md).
  const replies =
    scheduler &&
    new SendingPushQueue(scheduler, {
      redis,
      keys,
      adapters,
      log: log.child({ logger: 'bot:reply-push' }),
      timezone: config.timezone,
      now: deps.now,
    })
  const tokens = new RedisTokenCache(redis, keys)
  if (config.wecom) {
    const wecomLog = log.child({ logger: 'bot:wecom' })
    const client = new WecomClient({
      config: config.wecom,
      tokens,
      fetch: deps.fetch,
      log: wecomLog,
    })
    const wecom = new WecomAdapter({
      config: config.wecom,
      client,
      log: wecomLog,
      now: deps.now,
      pushes: replies,
    })
    adapters.set('wecom', wecom)
    urlVerifiers.wecom = wecom
  }
  let dingtalk: DingtalkAdapter | undefined
  let dingtalkStream: DingtalkStream | undefined
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
      signs: new RedisSignLedger(redis, keys),
      pushes: replies,
    })
    adapters.set('dingtalk', dingtalk)
    if (config.dingtalk.mode === 'stream') {
      dingtalkStream = new DingtalkStream({
        config: config.dingtalk,
        http: { fetch: deps.fetch ?? fetch, timeoutMs: 10_000 },
        log: dingtalkLog,
        onRobotMessage: streamIntake(dingtalk, dispatcher, dingtalkLog),
        onStatus: (status) => metrics.streamConnected.set(status === 'connected' ? 1 : 0),
        onReconnect: () => metrics.streamReconnects.inc(),
        ...deps.dingtalkStreamTiming,
      })
    }
  }
  const outbox = new RedisOutbox(redis, keys)
  const sandbox = new SandboxAdapter({ outbox, now: deps.now })
  adapters.set('sandbox', sandbox)

  const app = createApp({
    adapters: new Map([...adapters].filter(([p]) => p !== 'sandbox')),
    urlVerifiers,
    dispatcher,
    sandbox: {
      mode: config.sandbox,
      token: config.sandboxToken,
      adapter: sandbox,
      outbox,
      // Nothing configured (contract, SANDBOX): a new install is tried from this machine at once.
      ...(isUnconfigured(config) && { firstUser: new FirstAdmin(redis, keys, roles) }),
    },
    metrics,
    log,
    ready: async () => (await redis.ping()) === 'PONG' && (deps.workersReady?.() ?? true),
    mount: mountDashboard(config.adminToken, deps.queue),
    downloads: createExportDownloads({
      links: exportLinks,
      exporter: new XlsxExporter(
        Object.assign({}, services, {
          townshipName: config.townshipName,
          checks: rosterChecks,
        }),
      ),
      log,
      timezone: config.timezone,
      now: deps.now,
    }),
  })
  return {
    app,
    dispatcher,
    adapters,
    metrics,
    services,
    reminders,
    dingtalkStream,
    settle: async () => {
      await dingtalk?.pending()
      await replies?.pending()
    },
  }
}

/**
 * A robot message from the Stream socket takes the webhook's path: read it, dispatch it,
 * push the replies. It is acknowledged once stored, or when it can never be (not a robot
 * message); left unanswered while Redis is down, so DingTalk sends it again.
 */
function streamIntake(
  adapter: DingtalkAdapter,
  dispatcher: Dispatcher,
  log: Logger,
): (data: unknown) => Promise<StreamVerdict> {
  return async (data) => {
    let message: IncomingMessage | undefined
    try {
      message = adapter.readRobotMessage(data)
    } catch (err) {
      if (!(err instanceof WebhookPayloadError)) throw err
      log.warn({ err }, 'dingtalk stream: not a robot message; acknowledged and dropped')
      return 'ack'
    }
    if (!message) return 'ack'
    try {
      const replies = await dispatcher.handle(message)
      if (replies) await adapter.respond(message, replies)
      return 'ack'
    } catch (err) {
      // Another attempt holds it (a resend while the first is still handled): ask again.
      if (err instanceof StoreUnavailableError || err instanceof MessageInFlightError) {
        return 'retry'
      }
      throw err
    }
  }
}

/** No platform and no ADMIN_USERS, with the sandbox for this machine only (docs/first-minute.md). */
export function isUnconfigured(config: Config): boolean {
  return (
    config.sandbox === 'on' && !config.wecom && !config.dingtalk && config.adminUsers.length === 0
  )
}

/** /admin/queues when ADMIN_TOKEN is set and there is a queue to show; else nothing. */
function mountDashboard(token: string | undefined, queue: Queue | undefined) {
  if (token === undefined || queue === undefined) return undefined
  return (app: Koa) => mountQueueDashboard(app, { queues: [queue], token })
}

/** The reminder store, the campaign contents and the group robot sender. */
export function createReminderServices(deps: BotDeps, services: RecordServices): BotReminders {
  const deadlines = new StoredAllowanceDeadlines({
    allowances: services.allowances,
    timezone: deps.config.timezone,
    now: deps.now,
  })
  return {
    store: new ReminderStore(deps.redis, deps.keys),
    calendar: services.calendar,
    deadlines,
    content: new RecordCampaignContent({
      roles: services.roles,
      tallies: services.tallies,
      groups: services.groups,
      visits: services.visits,
      ledger: new CampaignLedger(deps.redis, deps.keys),
      deadlines,
      now: deps.now,
    }),
    robots: openingSealedRobots(
      services.groups,
      createGroupRobotSender({
        wecomApiBase: deps.config.wecom?.apiBase,
        dingtalkOapiBase: deps.config.dingtalk?.oapiBase,
        fetch: deps.fetch,
        log: deps.log,
        now: deps.now,
      }),
    ),
  }
}

/** A robot's credential is opened only here, at the moment of sending. */
function openingSealedRobots(
  groups: GroupStore,
  sender: ReturnType<typeof createGroupRobotSender>,
): GroupRobotSender {
  return { send: (robot, reply) => sender.send(groups.open(robot), reply) }
}

/** The record stores and readers over one Redis, sharing one PII cipher. */
export function createRecordServices(
  deps: BotDeps,
  roles: RoleStore,
  commits?: MessageCommits,
): RecordServices {
  const storeDeps = { redis: deps.redis, keys: deps.keys, pii: new Pii(deps.secretKey), commits }
  const log = deps.log.child({ logger: 'bot:calendar' })
  return {
    people: new PeopleStore(storeDeps),
    visits: new VisitStore(storeDeps),
    allowances: new AllowanceStore(storeDeps),
    activities: new ActivityStore(storeDeps),
    villages: new VillageStore(storeDeps),
    records: new RecordStore(storeDeps),
    tallies: new TallyReader(storeDeps),
    roles,
    groups: new GroupStore(storeDeps),
    calendar: createWorkCalendar({
      onMissingYear: (year) =>
        log.warn(
          { year },
          'no official holiday data for this year: working days fall back to weekends and statutory holidays',
        ),
    }),
    timezone: deps.config.timezone,
  }
}
