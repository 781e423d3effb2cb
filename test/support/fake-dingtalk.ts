import { createHmac, randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import {
  attachStreamGateway,
  GatewayRefusal,
  type FakeStreamGateway,
} from './fake-dingtalk-stream.js'

/**
 * A local stand-in for api.dingtalk.com and oapi.dingtalk.com (one base URL for both),
 * so adapter and client tests talk real HTTP. The sign check is written out here rather
 * than imported from src/, so a bug there cannot agree with itself.
 */

export interface FakeDingtalkOptions {
  appKey: string
  appSecret: string
  robotCode: string
  /** The one custom group robot /robot/send accepts (加签 on). */
  customRobot?: { accessToken: string; secret: string }
  /** The fake's clock, ms, for the 加签 window and the 20-per-minute limit. @defaultValue Date.now */
  now?: () => number
  /** `expireIn` of issued tokens, s. @defaultValue 7200 */
  tokenExpireIn?: number
}

/** One request the fake accepted. `msgParam` is already parsed from its JSON string. */
export type FakeDingtalkRecord =
  | { kind: 'token'; appKey: string; accessToken: string }
  | {
      kind: 'batchSend'
      token: string
      robotCode: string
      userIds: string[]
      msgKey: string
      msgParam: unknown
    }
  | {
      kind: 'groupSend'
      token: string
      robotCode: string
      openConversationId: string
      msgKey: string
      msgParam: unknown
    }
  | { kind: 'session'; session: string; body: Record<string, unknown> }
  | { kind: 'customRobot'; timestamp: string; body: Record<string, unknown> }

/** A scripted failure: `code` (string, new-style) or numeric `errcode` (oapi-style), or a raw `body`. */
export interface FakeDingtalkFailure {
  status: number
  code?: string | number
  message?: string
  /** Sent as is (a string is sent raw, e.g. an HTML error page). */
  body?: unknown
  /** Only requests whose path starts with this fail. @defaultValue every path */
  path?: string
  /** No answer at all: the connection is cut after this many ms (the client sees a timeout). */
  hangUpMs?: number
}

export interface FakeDingtalk {
  /** Base URL for both `apiBase` and `oapiBase`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string
  /** Accepted requests, oldest first. */
  readonly received: FakeDingtalkRecord[]
  /** Every request, accepted or not: method, path (with query) and the status answered. */
  readonly requests: { method: string; path: string; status: number }[]
  /** Successful access-token fetches. */
  readonly tokenFetches: number
  readonly customRobot: { accessToken: string; secret: string }
  /** A sessionWebhook on this fake, as DingTalk puts in a callback. */
  sessionWebhookUrl(id: string): string
  /** The next `count` requests (matching `failure.path`) answer `failure` instead. */
  failNext(count: number, failure: FakeDingtalkFailure): void
  /** Invalidates every token issued so far, as a secret reset does. */
  revokeTokens(): void
  /** The Stream-mode gateway (`/v1.0/gateway/connections/open` and its sockets). */
  readonly stream: FakeStreamGateway
  /** Resolves with the first accepted request (past or future) matching `predicate`. */
  waitFor<T extends FakeDingtalkRecord>(
    predicate: (r: FakeDingtalkRecord) => r is T,
    timeoutMs?: number,
  ): Promise<T>
  waitFor(
    predicate: (r: FakeDingtalkRecord) => boolean,
    timeoutMs?: number,
  ): Promise<FakeDingtalkRecord>
  close(): Promise<void>
}

const tokenRequestSchema = z.object({ appKey: z.string(), appSecret: z.string() })
const robotSendSchema = z.object({
  robotCode: z.string(),
  msgKey: z.string(),
  msgParam: z.string(),
})
const batchSendSchema = robotSendSchema.extend({ userIds: z.array(z.string()) })
const groupSendSchema = robotSendSchema.extend({ openConversationId: z.string().min(1) })
const robotBodySchema = z.looseObject({
  msgtype: z.enum(['text', 'markdown', 'link', 'actionCard', 'feedCard']),
})

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS

class Reject {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

const apiError = (status: number, code: string, message: string) =>
  new Reject(status, { code, message, requestid: randomUUID().toUpperCase() })
const oapiError = (errcode: number, errmsg: string) => new Reject(200, { errcode, errmsg })

/** Starts the fake on 127.0.0.1 with a free port. Call `close()` in afterEach. */
export async function startFakeDingtalk(options: FakeDingtalkOptions): Promise<FakeDingtalk> {
  const now = options.now ?? Date.now
  const customRobot = options.customRobot ?? {
    accessToken: 'fake-custom-robot-token',
    secret: 'SECfake0custom0robot0secret',
  }
  const events = new EventEmitter()
  const received: FakeDingtalkRecord[] = []
  const requests: { method: string; path: string; status: number }[] = []
  const failures: { failure: FakeDingtalkFailure; left: number }[] = []
  const validTokens = new Set<string>()
  let currentToken: string | undefined
  let tokenFetches = 0
  let customSends: number[] = []
  let customThrottledUntil = 0

  const record = (r: FakeDingtalkRecord) => {
    received.push(r)
    events.emit('record', r)
  }

  const takeFailure = (path: string): FakeDingtalkFailure | undefined => {
    const i = failures.findIndex(
      (f) => f.failure.path === undefined || path.startsWith(f.failure.path),
    )
    const hit = failures[i]
    if (hit === undefined) return undefined
    hit.left -= 1
    if (hit.left <= 0) failures.splice(i, 1)
    return hit.failure
  }

  const requireToken = (req: IncomingMessage): string => {
    const token = req.headers['x-acs-dingtalk-access-token']
    // DingTalk answers a bad token with 400, not 401 (satorijs/satori#240).
    if (typeof token !== 'string' || !validTokens.has(token)) {
      throw apiError(400, 'InvalidAuthentication', '不合法的access_token')
    }
    return token
  }

  const parseMsgParam = (msgKey: string, msgParam: string): unknown => {
    if (msgKey !== 'sampleText' && msgKey !== 'sampleMarkdown') {
      throw apiError(400, 'invalidParameter.msgKey.invalid', 'msgKey无效')
    }
    try {
      return JSON.parse(msgParam)
    } catch {
      throw apiError(400, 'invalidParameter.msgParam.invalid', 'msgParam必须是json格式')
    }
  }

  const handle = (req: IncomingMessage, url: URL, body: string): unknown => {
    const json = (() => {
      try {
        return JSON.parse(body) as unknown
      } catch {
        throw apiError(400, 'MissingBody', 'body is not JSON')
      }
    })()

    switch (url.pathname) {
      case '/v1.0/gateway/connections/open':
        return streamGateway.open(req, json)
      case '/v1.0/oauth2/accessToken': {
        const parsed = tokenRequestSchema.safeParse(json)
        if (
          !parsed.success ||
          parsed.data.appKey !== options.appKey ||
          parsed.data.appSecret !== options.appSecret
        ) {
          // The real code for a wrong key or secret is unconfirmed; any 4xx code will do here.
          throw apiError(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret')
        }
        // "有效期内重复获取会返回相同结果": hand out the same token until revoked.
        currentToken ??= `fake-token-${randomUUID()}`
        validTokens.add(currentToken)
        tokenFetches += 1
        record({ kind: 'token', appKey: parsed.data.appKey, accessToken: currentToken })
        return { accessToken: currentToken, expireIn: options.tokenExpireIn ?? 7200 }
      }
      case '/v1.0/robot/oToMessages/batchSend': {
        const token = requireToken(req)
        const parsed = batchSendSchema.safeParse(json)
        if (!parsed.success) throw apiError(400, 'invalidParameter.param.invalid', '参数错误')
        const { robotCode, userIds, msgKey, msgParam } = parsed.data
        if (robotCode !== options.robotCode) {
          throw apiError(400, 'invalidParameter.robotCode.auth', 'appkey与robotCode不匹配')
        }
        if (userIds.length === 0)
          throw apiError(400, 'invalidParameter.userIds.empty', 'userIds为空')
        if (userIds.length > 20) {
          throw apiError(400, 'invalidParameter.userIds.overMax', 'userIds超过最大限制')
        }
        const param = parseMsgParam(msgKey, msgParam)
        record({ kind: 'batchSend', token, robotCode, userIds, msgKey, msgParam: param })
        return {
          processQueryKey: randomUUID(),
          invalidStaffIdList: [],
          flowControlledStaffIdList: [],
        }
      }
      case '/v1.0/robot/groupMessages/send': {
        const token = requireToken(req)
        const parsed = groupSendSchema.safeParse(json)
        if (!parsed.success) throw apiError(400, 'invalidParameter.param.invalid', '参数错误')
        const { robotCode, openConversationId, msgKey, msgParam } = parsed.data
        if (robotCode !== options.robotCode) {
          throw apiError(400, 'invalidParameter.robotCode.auth', 'appkey与robotCode不匹配')
        }
        const param = parseMsgParam(msgKey, msgParam)
        record({ kind: 'groupSend', token, robotCode, openConversationId, msgKey, msgParam: param })
        return { processQueryKey: randomUUID() }
      }
      case '/robot/sendBySession': {
        const session = url.searchParams.get('session')
        if (session === null || session === '') throw oapiError(300001, 'session is not exist')
        const parsed = robotBodySchema.safeParse(json)
        if (!parsed.success) throw oapiError(40035, '缺少参数 msgtype')
        record({ kind: 'session', session, body: parsed.data })
        return { errcode: 0, errmsg: 'ok' }
      }
      case '/robot/send': {
        if (url.searchParams.get('access_token') !== customRobot.accessToken) {
          throw oapiError(300001, 'token is not exist')
        }
        const timestamp = url.searchParams.get('timestamp') ?? ''
        // URLSearchParams decodes like DingTalk does: a sign sent without URL-encoding turns
        // its '+' into spaces, and one encoded twice keeps its '%2B', and both mismatch.
        const sign = url.searchParams.get('sign') ?? ''
        if (!/^\d+$/.test(timestamp) || Math.abs(now() - Number(timestamp)) > HOUR_MS) {
          throw oapiError(310000, 'invalid timestamp')
        }
        const expected = createHmac('sha256', customRobot.secret)
          .update(`${timestamp}\n${customRobot.secret}`)
          .digest('base64')
        if (sign !== expected) throw oapiError(310000, 'sign not match')
        // "每个机器人每分钟最多发送20条消息到群里，如果超过20条，会限流10分钟"
        const t = now()
        customSends = customSends.filter((s) => t - s < MINUTE_MS)
        if (t < customThrottledUntil || customSends.length >= 20) {
          customThrottledUntil = Math.max(customThrottledUntil, t + 10 * MINUTE_MS)
          throw oapiError(130101, 'send too fast, exceed 20 times per minute')
        }
        const parsed = robotBodySchema.safeParse(json)
        if (!parsed.success) throw oapiError(40035, '缺少参数 msgtype')
        customSends.push(t)
        record({ kind: 'customRobot', timestamp, body: parsed.data })
        return { errcode: 0, errmsg: 'ok' }
      }
      default:
        throw apiError(404, 'NotFound', `no fake route for ${url.pathname}`)
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const answer = (status: number, body: unknown) => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', status })
        const text = typeof body === 'string' ? body : JSON.stringify(body)
        res.writeHead(status, {
          'content-type': typeof body === 'string' ? 'text/html' : 'application/json;charset=utf-8',
        })
        res.end(text)
      }

      const failure = takeFailure(url.pathname)
      if (failure?.hangUpMs !== undefined) {
        requests.push({ method: req.method ?? '', path: req.url ?? '', status: 0 })
        setTimeout(() => res.socket?.destroy(), failure.hangUpMs).unref()
        return
      }
      if (failure !== undefined) {
        const body =
          failure.body ??
          (typeof failure.code === 'number'
            ? { errcode: failure.code, errmsg: failure.message ?? 'scripted failure' }
            : {
                code: failure.code ?? 'ServiceUnavailable',
                message: failure.message ?? 'scripted failure',
                requestid: randomUUID().toUpperCase(),
              })
        answer(failure.status, body)
        return
      }
      if (req.method !== 'POST') {
        answer(405, { code: 'MethodNotAllowed', message: 'POST only' })
        return
      }
      try {
        answer(200, handle(req, url, Buffer.concat(chunks).toString('utf8')))
      } catch (err) {
        if (!(err instanceof Reject) && !(err instanceof GatewayRefusal)) throw err
        answer(err.status, err.body)
      }
    })
  })
  const streamGateway = attachStreamGateway(server, () => base, options)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`

  const waitFor = (
    predicate: (r: FakeDingtalkRecord) => boolean,
    timeoutMs = 2000,
  ): Promise<FakeDingtalkRecord> => {
    const hit = received.find(predicate)
    if (hit !== undefined) return Promise.resolve(hit)
    return new Promise((resolve, reject) => {
      const onRecord = (r: FakeDingtalkRecord) => {
        if (!predicate(r)) return
        cleanup()
        resolve(r)
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(
          new Error(
            `fake DingTalk: nothing matched within ${timeoutMs} ms; requests: ${JSON.stringify(requests)}`,
          ),
        )
      }, timeoutMs)
      const cleanup = () => {
        clearTimeout(timer)
        events.off('record', onRecord)
      }
      events.on('record', onRecord)
    })
  }

  return {
    url: base,
    received,
    requests,
    get tokenFetches() {
      return tokenFetches
    },
    customRobot,
    sessionWebhookUrl: (id) => `${base}/robot/sendBySession?session=${encodeURIComponent(id)}`,
    failNext: (count, failure) => {
      if (count > 0) failures.push({ failure, left: count })
    },
    revokeTokens: () => {
      validTokens.clear()
      currentToken = undefined
    },
    waitFor: waitFor as FakeDingtalk['waitFor'],
    stream: streamGateway.gateway,
    close: () =>
      new Promise<void>((resolve, reject) => {
        streamGateway.shutdown()
        server.close((err) => (err ? reject(err) : resolve()))
        // fetch keeps connections alive; without this close() waits for them to time out.
        server.closeAllConnections()
      }),
  }
}

/**
 * A robot callback as DingTalk sends it: headers `timestamp` (ms) and `sign`, and the raw
 * JSON body. The result fits RawWebhook, and `.set(headers).send(rawBody)` in supertest.
 * A string `body` is sent as is (malformed-JSON tests).
 */
export function signedRobotRequest(
  body: unknown,
  appSecret: string,
  timestampMs: number,
): {
  method: 'POST'
  query: Record<string, string | undefined>
  headers: Record<string, string | undefined>
  rawBody: Buffer
} {
  const timestamp = String(timestampMs)
  const sign = createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64')
  return {
    method: 'POST',
    query: {},
    headers: { 'content-type': 'application/json; charset=utf-8', timestamp, sign },
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
  }
}

/** The names of the recorded callbacks in test/fixtures/dingtalk/. */
export type RobotCallbackFixture = 'text-group' | 'text-single' | 'picture'

/**
 * A recorded robot callback body with `overrides` applied (e.g. `sessionWebhook` pointing
 * at a fake, `createAt` near the test clock, or `text: { content: '帮助' }`).
 */
export function robotCallback(
  name: RobotCallbackFixture,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const file = new URL(`../fixtures/dingtalk/${name}.json`, import.meta.url)
  const body = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  return { ...body, ...overrides }
}
