import { createHash, timingSafeEqual } from 'node:crypto'
import type { Context, Next } from 'koa'

/** Who may use the sandbox routes: `on` = this machine only; `public` = holders of the token. */
export interface SandboxAccess {
  mode: 'on' | 'public'
  /** SANDBOX_TOKEN; config.ts refuses to start `public` without one. */
  token: string | undefined
}

// Headers a reverse proxy adds. Their presence means the loopback peer is only relaying
// someone else's request, so the peer address no longer says who is asking (issue 10).
const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const

const NOT_LOCAL =
  '本地试用（SANDBOX=on）只回应本机。局域网演示请设 SANDBOX=public，并设 SANDBOX_TOKEN 作口令。'
const PROXIED =
  '本地试用（SANDBOX=on）不接受经代理转发的请求（带 X-Forwarded-For、Forwarded 或 X-Real-IP）。' +
  '要经代理开放，请设 SANDBOX=public，并设 SANDBOX_TOKEN 作口令。'
const NO_TOKEN =
  '需要试用口令：打开 /sandbox?token=口令，或在请求头写 Authorization: Bearer 口令（口令即 SANDBOX_TOKEN）。'

/**
 * Koa middleware in front of every sandbox route. Refuses with 403 a request from another
 * machine or through a proxy when `on`, and with 401 one without the token when `public`.
 * The token is read from `Authorization: Bearer …` or, for the chat page, `?token=…`.
 */
export function createSandboxGuard(access: SandboxAccess) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (access.mode === 'on') {
      if (!isLoopback(ctx.req.socket.remoteAddress)) return refuse(ctx, 403, NOT_LOCAL)
      if (PROXY_HEADERS.some((name) => ctx.get(name) !== '')) return refuse(ctx, 403, PROXIED)
    } else if (!sameSecret(presentedToken(ctx), access.token)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="sandbox"')
      return refuse(ctx, 401, NO_TOKEN)
    }
    await next()
  }
}

function refuse(ctx: Context, status: number, error: string): void {
  ctx.status = status
  ctx.body = { error }
}

function presentedToken(ctx: Context): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1]
  if (bearer !== undefined) return bearer
  const query = ctx.query.token
  return typeof query === 'string' && query !== '' ? query : undefined
}

function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (given === undefined || expected === undefined) return false
  // Digests first: equal lengths for timingSafeEqual, and no early exit that would let
  // response times reveal how much of a guess was right.
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined &&
    (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'))
  )
}
