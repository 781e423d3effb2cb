import { createHash, timingSafeEqual } from 'node:crypto'
import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { KoaAdapter } from '@bull-board/koa'
import type { Queue } from 'bullmq'
import type Koa from 'koa'

/** Where the dashboard lives (contract.md). */
export const QUEUE_DASHBOARD_PATH = '/admin/queues'

export interface QueueDashboardOptions {
  queues: readonly Queue[]
  /** ADMIN_TOKEN: the Bearer token, or the Basic password (any user name). */
  token: string
}

/**
 * Mounts Bull Board at /admin/queues behind ADMIN_TOKEN: every /admin request without the
 * token gets 401 (with a Basic challenge, so a browser asks for it). Call it only when
 * ADMIN_TOKEN is set; unset, /admin/* stays a 404.
 */
export function mountQueueDashboard(app: Koa, options: QueueDashboardOptions): void {
  // github.com/felixmosh/bull-board (packages/koa): KoaAdapter.registerPlugin() returns one
  // koa-mount middleware serving the UI, its static files and its JSON API under the base path.
  const serverAdapter = new KoaAdapter().setBasePath(QUEUE_DASHBOARD_PATH)
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
  })
  app.use(requireAdminToken(options.token))
  app.use(serverAdapter.registerPlugin())
}

/** 401 for any /admin path whose Authorization header does not carry `token`. */
export function requireAdminToken(token: string): Koa.Middleware {
  const expected = digest(token)
  return async (ctx, next) => {
    if (ctx.path !== '/admin' && !ctx.path.startsWith('/admin/')) return next()
    const presented = presentedToken(ctx.get('authorization'))
    // Digests first: timingSafeEqual needs equal lengths, and the token's length stays secret.
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return next()
    ctx.status = 401
    ctx.set('WWW-Authenticate', 'Basic realm="admin", charset="UTF-8"')
    ctx.body = { error: 'send ADMIN_TOKEN as a Bearer token or as the Basic password' }
  }
}

function presentedToken(header: string): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(header)
  if (bearer) return bearer[1]!.trim()
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header)
  if (!basic) return undefined
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : decoded.slice(colon + 1)
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}
