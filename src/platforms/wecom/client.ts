import { z } from 'zod'
import { PlatformApiError, PlatformHttpError } from '../../errors.js'
import type { Logger } from '../../log.js'
import type { FetchLike, Reply, TokenCache } from '../types.js'
import type { WecomConfig } from './config.js'

// Error names from go-workwx errcodes/mod.go (generated from WeCom's global error list,
// developer.work.weixin.qq.com/document/path/90313). Retrying these cannot succeed until an
// operator changes the configuration or the recipient list.
const PERMANENT_CODES = new Set([
  40001, // invalid secret
  40003, // invalid UserID
  40013, // invalid CorpID
  40056, // invalid agentid
  44004, // empty content
  45002, // content too long
  48002, // API not permitted for this app
  60011, // no privilege over the recipient
  60020, // server IP not in 企业可信IP
  60111, // UserID not found
  81013, // every recipient invalid
  93000, // group robot webhook invalid or robot removed
  93004, // group robot disabled
  93008, // group robot not in the group
])

/** Codes meaning the access token is gone: drop it, fetch a new one and retry once. */
const TOKEN_REJECTED = new Set([40014, 42001])

/**
 * True when retrying a call that failed with WeCom `code` cannot help (bad secret, unknown
 * user, untrusted IP, robot removed…). -1 (busy), 45009/45033 (rate limits) and unknown codes
 * are transient.
 */
export function isPermanentWecomError(code: number): boolean {
  return PERMANENT_CODES.has(code)
}

const resultSchema = z.object({
  errcode: z.number().int().default(0),
  errmsg: z.string().default(''),
})

/** One WeCom JSON call. `method` names it in errors (`gettoken`, `message/send`). */
export interface WecomApiRequest {
  fetch: FetchLike
  method: string
  url: string
  body?: unknown
  timeoutMs: number
}

/**
 * Calls a WeCom API and returns its JSON body when errcode is 0. Throws PlatformApiError for a
 * non-zero errcode, PlatformHttpError for a network failure, timeout, non-2xx or non-JSON answer.
 */
export async function callWecomApi(request: WecomApiRequest): Promise<Record<string, unknown>> {
  const { method } = request
  let body: unknown
  try {
    // One signal bounds both the connection and the body read.
    const response = await request.fetch(request.url, {
      method: request.body === undefined ? 'GET' : 'POST',
      headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs),
    })
    if (!response.ok) {
      await response.body?.cancel()
      throw new Error(`HTTP ${response.status}`)
    }
    body = await response.json()
  } catch (err) {
    throw new PlatformHttpError('wecom', method, err)
  }
  const result = resultSchema.safeParse(body)
  if (!result.success) {
    throw new PlatformHttpError('wecom', method, new Error('answer is not a WeCom JSON result'))
  }
  const { errcode, errmsg } = result.data
  if (errcode !== 0) {
    throw new PlatformApiError('wecom', method, errcode, errmsg, isPermanentWecomError(errcode))
  }
  return body as Record<string, unknown>
}

// developer.work.weixin.qq.com/document/path/91039
// {access_token (≤512 bytes), expires_in: 7200}; cache it, "gettoken called too often is throttled".
const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
})

/** Refresh this long before WeCom's expiry, so a token is never used in its last seconds. */
const TOKEN_MARGIN_S = 300

export interface WecomClientOptions {
  config: WecomConfig
  /** Shared by every process, so one token serves the whole deployment. */
  tokens: TokenCache
  /** @defaultValue globalThis.fetch */
  fetch?: FetchLike
  log: Logger
  /** Per-request timeout, ms. @defaultValue 10000 */
  timeoutMs?: number
}

export interface WecomSendOptions {
  /**
   * Seconds within which a send of the same content to the same member is a repeat WeCom
   * should drop (a re-send after a crash). Unset: WeCom delivers every send.
   */
  repeatWindowSeconds?: number
}

// developer.work.weixin.qq.com/document/path/90236: "enable_duplicate_check 表示是否开启重复消息
// 检查，0表示否，1表示是，默认0；duplicate_check_interval 表示是否重复消息检查的时间间隔，默认1800s，
// 最大不超过4小时" — the same content (request JSON) within the interval is not received twice.
const MAX_DUPLICATE_CHECK_S = 4 * 3600

function duplicateCheckFields(windowSeconds: number | undefined): {
  enable_duplicate_check?: 1
  duplicate_check_interval?: number
} {
  if (windowSeconds === undefined || !(windowSeconds > 0)) return {}
  const interval = Math.min(MAX_DUPLICATE_CHECK_S, Math.max(1, Math.round(windowSeconds)))
  return { enable_duplicate_check: 1, duplicate_check_interval: interval }
}

/** The self-built app's API: access token and app messages (消息推送 → 发送应用消息). */
export class WecomClient {
  private readonly config: WecomConfig
  private readonly tokens: TokenCache
  private readonly fetch: FetchLike
  private readonly log: Logger
  private readonly timeoutMs: number
  /** Each app has its own secret and token, so the cache key is the app, not the corp. */
  private readonly appId: string
  private inflight: Promise<string> | undefined

  constructor(options: WecomClientOptions) {
    this.config = options.config
    this.tokens = options.tokens
    this.fetch = options.fetch ?? globalThis.fetch
    this.log = options.log
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.appId = `${options.config.corpId}-${options.config.agentId}`
  }

  private url(path: string, query: Record<string, string>): string {
    // Concatenate rather than `new URL(path, base)`, which would drop a gateway's base path.
    return `${this.config.apiBase.replace(/\/+$/, '')}${path}?${new URLSearchParams(query)}`
  }

  /**
   * The app's access token, from the shared cache or a fresh gettoken call. Concurrent callers
   * in one process share one in-flight fetch. Throws PlatformApiError / PlatformHttpError.
   */
  async getAccessToken(): Promise<string> {
    if (this.inflight !== undefined) return this.inflight
    const cached = await this.tokens.get('wecom', this.appId)
    if (cached !== undefined) return cached
    // Another caller may have started the fetch while we awaited the cache.
    this.inflight ??= this.fetchAccessToken().finally(() => {
      this.inflight = undefined
    })
    return this.inflight
  }

  private async fetchAccessToken(): Promise<string> {
    const body = await callWecomApi({
      fetch: this.fetch,
      method: 'gettoken',
      url: this.url('/cgi-bin/gettoken', {
        corpid: this.config.corpId,
        corpsecret: this.config.secret,
      }),
      timeoutMs: this.timeoutMs,
    })
    const parsed = tokenSchema.safeParse(body)
    if (!parsed.success) {
      throw new PlatformHttpError('wecom', 'gettoken', new Error('answer has no access_token'))
    }
    const { access_token: token, expires_in: expiresIn } = parsed.data
    await this.tokens.set('wecom', this.appId, token, Math.max(1, expiresIn - TOKEN_MARGIN_S))
    this.log.info({ expiresIn }, 'wecom access token fetched')
    return token
  }

  /**
   * Sends one app message to member `userId`, always as text: its plain rendering, as a
   * passive reply shows it (WeCom's markdown app message shows only in the WeCom client, not
   * to members who use it through WeChat; docs/replies.md).
   * The caller keeps content within 2048 bytes. With `options.repeatWindowSeconds`, WeCom
   * drops the same content to the same member sent again within that window (clamped to
   * 1 s–4 h) and still answers ok. Throws PlatformApiError / PlatformHttpError.
   */
  async sendAppMessage(
    userId: string,
    reply: Reply,
    options: WecomSendOptions = {},
  ): Promise<void> {
    // developer.work.weixin.qq.com/document/path/90236
    // {touser, msgtype, agentid (int), text|markdown: {content ≤ 2048 bytes}}; "all recipients
    // invalid" → 81013, partly invalid ones still send and come back in invaliduser.
    const payload = {
      touser: userId,
      msgtype: 'text',
      agentid: this.config.agentId,
      text: { content: reply.text },
      ...duplicateCheckFields(options.repeatWindowSeconds),
    }
    let result: Record<string, unknown>
    try {
      result = await this.postMessage(payload)
    } catch (err) {
      // developer.work.weixin.qq.com/document/path/91039
      // WeCom may invalidate a token before expires_in: on 40014/42001 refetch and retry once.
      if (!(err instanceof PlatformApiError && TOKEN_REJECTED.has(Number(err.code)))) throw err
      this.log.warn({ code: err.code }, 'wecom access token rejected; fetching a new one')
      await this.tokens.drop('wecom', this.appId)
      result = await this.postMessage(payload)
    }
    if (typeof result.invaliduser === 'string' && result.invaliduser !== '') {
      this.log.warn({ invalidUser: result.invaliduser }, 'wecom message/send skipped recipients')
    }
  }

  private async postMessage(payload: unknown): Promise<Record<string, unknown>> {
    const token = await this.getAccessToken()
    return callWecomApi({
      fetch: this.fetch,
      method: 'message/send',
      url: this.url('/cgi-bin/message/send', { access_token: token }),
      body: payload,
      timeoutMs: this.timeoutMs,
    })
  }
}
