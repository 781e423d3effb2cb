import Koa, { type Context } from 'koa'
import Router from 'koa-router'
import { MessageInFlightError, type Dispatcher } from '../bot/dispatch.js'
import type { SandboxMode } from '../config.js'
import { StoreUnavailableError, WebhookAuthError, WebhookPayloadError } from '../errors.js'
import type { Download } from '../exports/export-route.js'
import type { Logger } from '../log.js'
import type { Metrics } from '../metrics.js'
import { queuesReplies } from '../platforms/reply-queue.js'
import type {
  IncomingMessage,
  Outbox,
  Platform,
  PlatformAdapter,
  RawResponse,
  RawWebhook,
  Reply,
} from '../platforms/types.js'
import { welcomingFirstUser, type FirstUserClaim } from './first-user.js'
import { createSandboxGuard } from './sandbox-guard.js'
import { SANDBOX_PAGE } from './sandbox-page.js'
import { toRawWebhook } from './to-raw-webhook.js'

/** A platform whose callback URL is verified with a GET handshake (WeCom's echostr). */
export interface UrlVerifier {
  /** Returns the plaintext to echo; throws WebhookAuthError. */
  verifyUrl(req: RawWebhook): string
}

export interface AppDeps {
  /** Adapters of the platforms that are on; the sandbox adapter is passed apart. */
  adapters: ReadonlyMap<Platform, PlatformAdapter>
  urlVerifiers?: Partial<Record<Platform, UrlVerifier>>
  dispatcher: Dispatcher
  /**
   * `token` is SANDBOX_TOKEN, required by `public` (sandbox-guard.ts). `firstUser`, given when
   * nothing is configured, makes the first sandbox user to write an administrator.
   */
  sandbox?: {
    mode: SandboxMode
    token?: string
    adapter: PlatformAdapter
    outbox: Outbox
    firstUser?: FirstUserClaim
  }
  metrics: Metrics
  /** True when Redis answers and, in roles that run them, the workers run. */
  ready: () => Promise<boolean>
  log: Logger
  /** Answers `GET /exports/:token` (signed xlsx download links); absent = no such route. */
  downloads?: (token: string) => Promise<Download>
  /** Extra routes mounted by the composition root (the queue dashboard). */
  mount?: (app: Koa) => void
}

/**
 * The HTTP surface of contract.md: webhooks, sandbox, health and metrics. Knows HTTP,
 * not vendors: adapters translate, the dispatcher decides.
 */
const WEBHOOK_PATH = '/webhooks/'

export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: false })
  const log = deps.log.child({ logger: 'bot:http' })
  const router = new Router()

  app.use(async (ctx, next) => {
    try {
      await next()
    } catch (err) {
      const { status, body } = classify(err)
      ctx.status = status
      ctx.body = body
      if (status >= 500 && status !== 503) log.error({ err, path: ctx.path }, 'request failed')
      else
        log.warn(
          { path: ctx.path, status, reason: err instanceof Error ? err.message : String(err) },
          'request refused',
        )
    } finally {
      const route =
        (ctx.state as { route?: string }).route ??
        (ctx as Context & { _matchedRoute?: string })._matchedRoute ??
        'unmatched'
      deps.metrics.httpRequests.inc({ route: String(route), status: String(ctx.status) })
    }
  })

  // The platforms' callbacks are the hot path: matched here by their exact path, they skip
  // the router's per-request matching of every layer (3–4% of a visit's CPU in the profile).
  // Anything else, an unknown platform included, goes on to the router as before.
  app.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path.startsWith(WEBHOOK_PATH)) {
      const adapter = deps.adapters.get(ctx.path.slice(WEBHOOK_PATH.length) as Platform)
      if (adapter) {
        ;(ctx.state as { route?: string }).route = '/webhooks/:platform'
        return handleWebhook(ctx, adapter, deps, log)
      }
    }
    await next()
  })

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' }
  })

  router.get('/readyz', async (ctx) => {
    const ready = await deps.ready().catch(() => false)
    ctx.status = ready ? 200 : 503
    ctx.body = { status: ready ? 'ready' : 'not ready' }
  })

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType
    ctx.body = await deps.metrics.registry.metrics()
  })

  router.get('/webhooks/:platform', async (ctx) => {
    const verifier = deps.urlVerifiers?.[ctx.params.platform as Platform]
    if (!verifier) return ctx.throw(404)
    // WeCom wants the bare plaintext within 1 s: no quotes, no BOM, no newline.
    ctx.type = 'text/plain'
    ctx.body = verifier.verifyUrl(await toRawWebhook(ctx))
  })

  // Known platforms are answered before the router (above); the rest get 404 here.
  router.post('/webhooks/:platform', (ctx) => ctx.throw(404))

  if (deps.sandbox && deps.sandbox.mode !== 'off') {
    const { mode, token, outbox, firstUser } = deps.sandbox
    const adapter = firstUser
      ? welcomingFirstUser(deps.sandbox.adapter, firstUser)
      : deps.sandbox.adapter
    const guard = createSandboxGuard({ mode, token })
    router.get('/sandbox', guard, (ctx) => {
      // The page may be opened as /sandbox?token=…: keep the token out of Referer headers.
      ctx.set('Referrer-Policy', 'no-referrer')
      ctx.type = 'text/html; charset=utf-8'
      ctx.body = SANDBOX_PAGE
    })
    router.post('/sandbox/messages', guard, (ctx) => handleWebhook(ctx, adapter, deps, log))
    router.get('/sandbox/outbox', guard, async (ctx) => {
      const limit = Math.min(Math.max(Number(ctx.query.limit) || 100, 1), 1000)
      ctx.body = { messages: await outbox.list(limit) }
    })
    router.get('/', (ctx) => ctx.redirect('/sandbox'))
  }

  const downloads = deps.downloads
  if (downloads) {
    router.get('/exports/:token', async (ctx) => {
      const download = await downloads(ctx.params.token ?? '')
      // Exports hold personal data: no caching, and the token never leaks through a Referer.
      ctx.set('Cache-Control', 'no-store')
      ctx.set('Referrer-Policy', 'no-referrer')
      if (download.filename) ctx.attachment(download.filename)
      ctx.status = download.status
      ctx.type = download.contentType
      ctx.body = download.body
    })
  }

  deps.mount?.(app)
  app.use(router.routes())
  app.use(router.allowedMethods())
  return app
}

/**
 * Verified message → dispatcher → the platform's answer. A message is answered 200 only
 * once its work is stored and any reply that goes out after the answer is durably queued.
 * When that has not happened by the platform's deadline (WeCom drops the connection at 5 s
 * and retries), the answer is 503, so the platform redelivers; the attempt runs on, and
 * either commits (the redelivery is then a duplicate, and the replies are queued) or
 * releases its lease (the redelivery is handled afresh). docs/delivery.md.
 */
async function handleWebhook(
  ctx: Context,
  adapter: PlatformAdapter,
  deps: AppDeps,
  log: Logger,
): Promise<void> {
  const raw = await toRawWebhook(ctx)
  let late = false
  let messageId: string | undefined
  // The deadline counts from the request, so a Redis look-up in `receive` (DingTalk's sign
  // ledger) is inside it too.
  const answering = (async () => {
    const message = await adapter.receive(raw)
    if (!message) return adapter.acknowledge()
    messageId = message.messageId
    const replies = await deps.dispatcher.handle(message)
    if (replies === undefined) return adapter.acknowledge()
    if (!late) return adapter.respond(message, replies)
    // Past the deadline the answer is gone: the redelivery will find the marker final
    // and answer empty, so these replies reach the user only as pushes.
    await sendLater(adapter, message, replies)
    return undefined
  })()
  const outcome = await raceDeadline(answering, adapter.replyDeadlineMs, () => {
    late = true
  })
  if (outcome === LATE) {
    answering.catch((err: unknown) => {
      if (!isExpected(err)) log.error({ err, messageId }, 'late reply failed')
    })
    throw new ReplyDeadlineError(adapter.replyDeadlineMs)
  }
  answer(ctx, outcome ?? adapter.acknowledge())
}

/** The work of a message was neither stored nor queued by the platform's deadline: 503. */
class ReplyDeadlineError extends Error {
  constructor(ms: number) {
    super(`not stored within the platform's ${ms} ms deadline`)
    this.name = 'ReplyDeadlineError'
  }
}

/** Failures a late attempt may meet that need no log line: the 503 already covered them. */
function isExpected(err: unknown): boolean {
  return (
    err instanceof StoreUnavailableError ||
    err instanceof MessageInFlightError ||
    err instanceof WebhookAuthError ||
    err instanceof WebhookPayloadError
  )
}

/** Through the adapter's retried push queue where it has one, else sent once (sandbox outbox). */
async function sendLater(adapter: PlatformAdapter, message: IncomingMessage, replies: Reply[]) {
  if (queuesReplies(adapter)) return adapter.queueReplies(message, replies)
  for (const reply of replies) await adapter.send(message.chat, reply)
}

const LATE = Symbol('late')

/** `work`, or LATE after `ms`; `onLate` runs in the timer itself, before any later callback. */
async function raceDeadline<T>(
  work: Promise<T>,
  ms: number,
  onLate: () => void,
): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => {
      onLate()
      resolve(LATE)
    }, ms)
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

function answer(ctx: Context, response: RawResponse): void {
  ctx.status = response.status
  if (response.contentType) ctx.type = response.contentType
  ctx.body = response.body
}

function classify(err: unknown): { status: number; body: unknown } {
  if (err instanceof WebhookAuthError) return { status: 401, body: { error: 'unauthorized' } }
  if (err instanceof WebhookPayloadError)
    return { status: 400, body: { error: 'malformed body', detail: err.message } }
  if (err instanceof StoreUnavailableError)
    return { status: 503, body: { error: 'record store unavailable, retry later' } }
  if (err instanceof MessageInFlightError)
    return { status: 503, body: { error: 'message is being handled, retry later' } }
  if (err instanceof ReplyDeadlineError)
    return { status: 503, body: { error: 'not stored in time, retry later' } }
  const status = (err as { status?: unknown }).status
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      body: { error: status === 413 ? 'body too large (max 1 MiB)' : (err as Error).message },
    }
  }
  return { status: 500, body: { error: 'internal error' } }
}
