import { z } from 'zod'
import { PlatformApiError, PlatformHttpError } from '../../errors.js'
import type { Logger } from '../../log.js'
import { renderMarkdown } from '../../replies/render-markdown.js'
import type { FetchLike, Reply, TokenCache } from '../types.js'
import type { DingtalkConfig } from './config.js'

/** `at` of a custom-robot / sessionWebhook message. */
export interface DingtalkAt {
  atUserIds?: string[]
  atMobiles?: string[]
  isAtAll?: boolean
}

/** A message in the custom-robot format, which the sessionWebhook also takes. */
export type DingtalkRobotBody =
  | { msgtype: 'text'; text: { content: string }; at?: DingtalkAt }
  | { msgtype: 'markdown'; markdown: { title: string; text: string }; at?: DingtalkAt }

const MARKDOWN_TITLE_MAX = 20
const FALLBACK_TITLE = '双拥助手'

/**
 * The title DingTalk shows in the chat list and notification for a markdown message: the
 * first non-empty line without markdown marks, cut to 20 characters.
 */
export function markdownTitle(text: string): string {
  const line = text
    .split('\n')
    .map((l) =>
      l
        .replace(/^[\s#>*+-]+/, '')
        .replace(/[*_`]/g, '')
        .trim(),
    )
    .find((l) => l !== '')
  if (line === undefined) return FALLBACK_TITLE
  return Array.from(line).slice(0, MARKDOWN_TITLE_MAX).join('')
}

/** A reply in the custom-robot / sessionWebhook format. */
// https://open.dingtalk.com/document/orgapp/robot-message-types-and-data-format
// text: {msgtype, text.content, at}; markdown: {msgtype, markdown.{title, text}, at}
export function toRobotBody(reply: Reply, at?: DingtalkAt): DingtalkRobotBody {
  const markdown = toDingtalkMarkdown(reply)
  const body: DingtalkRobotBody = markdown
    ? { msgtype: 'markdown', markdown }
    : { msgtype: 'text', text: { content: reply.text } }
  return at === undefined ? body : Object.assign({}, body, { at })
}

/** A reply as the OpenAPI robot sends take it: a template key and its parameters. */
// https://open.dingtalk.com/document/development/robot-message-type
// "msgParam: 消息模板参数" is a JSON *string*; sampleText {content}, sampleMarkdown {title, text}
export function toMsgKeyParam(reply: Reply): { msgKey: string; msgParam: string } {
  const markdown = toDingtalkMarkdown(reply)
  return markdown
    ? { msgKey: 'sampleMarkdown', msgParam: JSON.stringify(markdown) }
    : { msgKey: 'sampleText', msgParam: JSON.stringify({ content: reply.text }) }
}

/** A reply with a layout as DingTalk markdown (title and text); a plain reply has none. */
function toDingtalkMarkdown(reply: Reply): { title: string; text: string } | undefined {
  if (!reply.layout) return undefined
  return {
    title: markdownTitle(reply.layout.title),
    text: renderMarkdown(reply.layout, 'dingtalk'),
  }
}

/** True when `url` is an http(s) URL with the same scheme, host and port as `base`. */
export function hasOrigin(url: string, base: string): boolean {
  try {
    const target = new URL(url)
    if (target.protocol !== 'https:' && target.protocol !== 'http:') return false
    return target.origin === new URL(base).origin
  } catch {
    return false
  }
}

// Codes after which the same request will fail again: bad parameters, unknown robot or
// user, missing permission, and the custom robot's 310000 (sign/keyword/IP) and 300001
// (token does not exist). Checked after TRANSIENT, so "throttling" wins over "Forbidden".
const PERMANENT =
  /^invalidParameter|notExist|notFound|not\.found|^Forbidden|^InvalidAuthentication/i
const PERMANENT_CODES = new Set(['300001', '310000', '400013', '40035'])
// 130101 "send too fast, exceed 20 times per minute", -1 "系统繁忙", and throttling codes.
const TRANSIENT = /throttl|flowControl|tooFast|busy|systemError|sysErr|serviceUnavailable|timeout/i
const TRANSIENT_CODES = new Set(['130101', '-1'])
// A token DingTalk no longer accepts: drop it, fetch a new one, retry once. The new-style
// API answers it with HTTP 400/401 {"code":"InvalidAuthentication","message":"不合法的access_token"}.
const INVALID_TOKEN_CODES = new Set(['InvalidAuthentication', '40014', '42001'])

/** Whether a DingTalk error is worth retrying, from the HTTP status and the vendor code. */
export function isPermanentDingtalkError(status: number, code: string | number): boolean {
  const c = String(code)
  if (status >= 500 || status === 429 || TRANSIENT_CODES.has(c) || TRANSIENT.test(c)) return false
  if (PERMANENT_CODES.has(c) || PERMANENT.test(c)) return true
  // An unknown 4xx is a request the vendor refused as written; an unknown errcode on a
  // 200 (oapi style) carries no such hint, so it is retried.
  return status >= 400 && status < 500
}

/** True for a PlatformApiError that says the access token was rejected. */
export function isInvalidTokenError(err: unknown): boolean {
  return err instanceof PlatformApiError && INVALID_TOKEN_CODES.has(String(err.code))
}

// New-style (api.dingtalk.com) errors: HTTP 4xx/5xx with {code, message, requestid}.
const apiErrorSchema = z.looseObject({
  code: z.union([z.string(), z.number()]),
  message: z.string().optional(),
})
// Old-style (oapi.dingtalk.com, custom robot, sessionWebhook): HTTP 200 with {errcode, errmsg}.
const oapiResultSchema = z.looseObject({
  errcode: z.number(),
  errmsg: z.string().optional(),
})
const jsonObjectSchema = z.record(z.string(), z.unknown())

/** How DingTalk calls go out: the fetch to use and the per-request time limit, ms. */
export interface DingtalkHttp {
  fetch: FetchLike
  timeoutMs: number
}

/**
 * POSTs JSON and returns the JSON object answered. Throws PlatformApiError when DingTalk
 * answers with an error code (either style) and PlatformHttpError when the network fails,
 * the request times out, or the answer is not a JSON object.
 */
export async function postDingtalkJson(
  http: DingtalkHttp,
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  let status: number
  let text: string
  try {
    const res = await http.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(http.timeoutMs),
    })
    status = res.status
    text = await res.text()
  } catch (err) {
    throw new PlatformHttpError('dingtalk', method, err)
  }

  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new PlatformHttpError('dingtalk', method, new Error(`HTTP ${status}, body is not JSON`))
  }

  const oapi = oapiResultSchema.safeParse(json)
  if (oapi.success && oapi.data.errcode !== 0) {
    const { errcode, errmsg = '' } = oapi.data
    throw new PlatformApiError(
      'dingtalk',
      method,
      errcode,
      errmsg,
      isPermanentDingtalkError(status, errcode),
    )
  }
  if (status < 200 || status >= 300) {
    const api = apiErrorSchema.safeParse(json)
    if (!api.success) {
      throw new PlatformHttpError('dingtalk', method, new Error(`HTTP ${status} without a code`))
    }
    const { code, message = '' } = api.data
    throw new PlatformApiError(
      'dingtalk',
      method,
      code,
      message,
      isPermanentDingtalkError(status, code),
    )
  }
  const object = jsonObjectSchema.safeParse(json)
  if (!object.success) {
    throw new PlatformHttpError('dingtalk', method, new Error('answer is not a JSON object'))
  }
  return object.data
}

// https://open.dingtalk.com/document/orgapp/obtain-the-access_token-of-an-internal-app
// {accessToken, expireIn}; "expireIn: accessToken的过期时间，单位秒" (7200)
const accessTokenSchema = z.looseObject({
  accessToken: z.string().min(1),
  expireIn: z.number().positive(),
})

// https://open.dingtalk.com/document/orgapp/chatbots-send-one-on-one-chat-messages-in-batches
// A 200 may still name recipients that got nothing: unknown userids, or flow-controlled ones.
const batchSendResultSchema = z.looseObject({
  processQueryKey: z.string().optional(),
  invalidStaffIdList: z.array(z.string()).optional(),
  flowControlledStaffIdList: z.array(z.string()).optional(),
})

// Refresh before DingTalk's expiry so a token never dies between cache read and use.
const TOKEN_EARLY_REFRESH_S = 5 * 60
// "userIds: 每次最多传20个"
const BATCH_SEND_MAX_USERS = 20

export interface DingtalkClientOptions {
  config: DingtalkConfig
  tokens: TokenCache
  /** @defaultValue globalThis.fetch */
  fetch?: FetchLike
  log: Logger
  /** Limit per HTTP request, ms. @defaultValue 10000 */
  timeoutMs?: number
}

/**
 * The enterprise-internal app robot's OpenAPI (api.dingtalk.com) and its sessionWebhook
 * replies. Caches the new-style access token in the shared TokenCache.
 */
export class DingtalkClient {
  private readonly config: DingtalkConfig
  private readonly tokens: TokenCache
  private readonly log: Logger
  private readonly http: DingtalkHttp
  private readonly apiBase: string
  private tokenFetch: Promise<string> | undefined

  constructor(options: DingtalkClientOptions) {
    this.config = options.config
    this.tokens = options.tokens
    this.log = options.log
    this.http = { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 10_000 }
    this.apiBase = options.config.apiBase.replace(/\/+$/, '')
  }

  /**
   * The app's access token, from the cache or fetched once for every concurrent caller in
   * this client (main.ts builds one client per process). Processes racing on an empty
   * cache are harmless: DingTalk hands out the same token within its validity.
   */
  async accessToken(): Promise<string> {
    const cached = await this.tokens.get('dingtalk', this.config.appKey)
    if (cached !== undefined) return cached
    this.tokenFetch ??= this.fetchAccessToken().finally(() => {
      this.tokenFetch = undefined
    })
    return this.tokenFetch
  }

  /** Sends one reply to each user's single chat with the robot, 20 users per request. */
  // https://open.dingtalk.com/document/orgapp/chatbots-send-one-on-one-chat-messages-in-batches
  // POST /v1.0/robot/oToMessages/batchSend {robotCode, userIds, msgKey, msgParam}
  async sendToUsers(userIds: string[], reply: Reply): Promise<void> {
    const method = 'robot/oToMessages/batchSend'
    for (let i = 0; i < userIds.length; i += BATCH_SEND_MAX_USERS) {
      const chunk = userIds.slice(i, i + BATCH_SEND_MAX_USERS)
      const answer = await this.callApi(method, '/v1.0/robot/oToMessages/batchSend', {
        robotCode: this.config.robotCode,
        userIds: chunk,
        ...toMsgKeyParam(reply),
      })
      const result = batchSendResultSchema.safeParse(answer)
      const invalid = result.success ? (result.data.invalidStaffIdList ?? []) : []
      const throttled = result.success ? (result.data.flowControlledStaffIdList ?? []) : []
      if (invalid.length + throttled.length === 0) continue
      if (invalid.length + throttled.length < chunk.length) {
        this.log.warn({ invalid, throttled }, 'dingtalk batchSend skipped some recipients')
        continue
      }
      // Nobody got it: surface it so the caller (a delivery job) retries or gives up.
      throw throttled.length > 0
        ? new PlatformApiError('dingtalk', method, 'flowControlled', throttled.join(','), false)
        : new PlatformApiError('dingtalk', method, 'invalidStaffId', invalid.join(','), true)
    }
  }

  /** Sends one reply to a group the robot is in, by its openConversationId. */
  // https://open.dingtalk.com/document/orgapp/the-robot-sends-a-group-message
  // POST /v1.0/robot/groupMessages/send {robotCode, openConversationId, msgKey, msgParam}
  async sendToGroup(openConversationId: string, reply: Reply): Promise<void> {
    await this.callApi('robot/groupMessages/send', '/v1.0/robot/groupMessages/send', {
      robotCode: this.config.robotCode,
      openConversationId,
      ...toMsgKeyParam(reply),
    })
  }

  /**
   * Posts to a message's sessionWebhook. Refuses (permanent PlatformApiError) a URL outside
   * `oapiBase`: the callback sign does not cover the body, so the URL may be forged.
   */
  // https://open-dingtalk.github.io/developerpedia/docs/learn/bot/appbot/reply
  // the sessionWebhook takes the custom-robot message format and is valid until
  // sessionWebhookExpiredTime; it needs no access token, so none is sent to it.
  async postSessionWebhook(url: string, body: DingtalkRobotBody): Promise<void> {
    if (!hasOrigin(url, this.config.oapiBase)) {
      throw new PlatformApiError(
        'dingtalk',
        'sessionWebhook',
        'foreignOrigin',
        `sessionWebhook is not on ${this.config.oapiBase}`,
        true,
      )
    }
    await postDingtalkJson(this.http, 'sessionWebhook', url, body)
  }

  private async fetchAccessToken(): Promise<string> {
    // https://open.dingtalk.com/document/orgapp/obtain-the-access_token-of-an-internal-app
    // POST /v1.0/oauth2/accessToken {appKey, appSecret}; "有效期内重复获取会返回相同结果"
    const method = 'oauth2/accessToken'
    const answer = await postDingtalkJson(
      this.http,
      method,
      `${this.apiBase}/v1.0/oauth2/accessToken`,
      {
        appKey: this.config.appKey,
        appSecret: this.config.appSecret,
      },
    )
    const parsed = accessTokenSchema.safeParse(answer)
    if (!parsed.success) {
      throw new PlatformHttpError('dingtalk', method, new Error('answer has no accessToken'))
    }
    const { accessToken, expireIn } = parsed.data
    const ttl = expireIn - TOKEN_EARLY_REFRESH_S
    if (ttl > 0) await this.tokens.set('dingtalk', this.config.appKey, accessToken, ttl)
    return accessToken
  }

  private async callApi(method: string, path: string, body: unknown): Promise<unknown> {
    const url = `${this.apiBase}${path}`
    const token = await this.accessToken()
    try {
      return await this.postWithToken(method, url, body, token)
    } catch (err) {
      if (!isInvalidTokenError(err)) throw err
      // DingTalk can revoke a token before expireIn (secret reset, app re-published).
      this.log.warn({ method }, 'dingtalk rejected the cached access token; fetching a new one')
      await this.tokens.drop('dingtalk', this.config.appKey)
      return await this.postWithToken(method, url, body, await this.accessToken())
    }
  }

  private postWithToken(method: string, url: string, body: unknown, token: string) {
    return postDingtalkJson(this.http, method, url, body, { 'x-acs-dingtalk-access-token': token })
  }
}
