import type { Context } from 'koa'
import getRawBody from 'raw-body'
import type { RawWebhook } from '../platforms/types.js'

/** Platforms' callbacks are small; anything over this is refused with 413 before it is buffered. */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * Koa context → the plain request shape adapters see (grammY's framework-adapter idea).
 * Throws raw-body's 413 error for bodies over 1 MiB, whether announced or streamed.
 */
export async function toRawWebhook(ctx: Context): Promise<RawWebhook> {
  const rawBody =
    ctx.method === 'GET' || ctx.method === 'HEAD'
      ? Buffer.alloc(0)
      : await getRawBody(ctx.req, {
          limit: MAX_BODY_BYTES,
          length: ctx.get('content-length') || undefined,
        })
  return {
    method: ctx.method,
    query: flatten(ctx.query),
    headers: flatten(ctx.headers),
    rawBody,
    remoteAddress: ctx.req.socket.remoteAddress,
  }
}

function flatten(
  record: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  )
}
