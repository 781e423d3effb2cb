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
    query: firstValues(ctx.querystring),
    headers: firstHeaderValues(ctx.headers),
    rawBody,
    remoteAddress: ctx.req.socket.remoteAddress,
  }
}

/**
 * The query's first value of each name. Read from the query string once, rather than through
 * koa's `ctx.query`, which collects every value of every name first (a tenth of a webhook's
 * HTTP cost in the profile). WHATWG decoding, as koa's.
 */
function firstValues(querystring: string): Record<string, string | undefined> {
  // No prototype: a name such as `__proto__` is a name like any other.
  const out: Record<string, string | undefined> = Object.create(null) as Record<string, string>
  for (const [name, value] of new URLSearchParams(querystring)) {
    if (!Object.hasOwn(out, name)) out[name] = value
  }
  return out
}

function firstHeaderValues(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const name in headers) {
    const value = headers[name]
    out[name] = Array.isArray(value) ? value[0] : value
  }
  return out
}
