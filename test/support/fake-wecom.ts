import { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes, randomInt } from 'node:crypto'
import { encrypt, getSignature } from '@wecom/crypto'
import type { RawWebhook } from '../../src/platforms/types.js'

/**
 * A local stand-in for qyapi.weixin.qq.com (gettoken, message/send, webhook/send), served over
 * real HTTP so clients are tested through their real fetch. It is stricter than WeCom where
 * that catches our bugs: over-long content is refused (45002) instead of silently truncated.
 * message/send honours enable_duplicate_check as WeCom documents it: the same content to the
 * same member within duplicate_check_interval is answered ok and not delivered again.
 */

export interface FakeWecomOptions {
  corpId: string
  secret: string
  agentId: number
  /** WeCom's clock, ms, for the duplicate check and the robot limit. @defaultValue Date.now */
  now?: () => number
}

/** Every request the fake answered, in arrival order. `errcode` is what it answered. */
export interface FakeWecomRequest {
  path: string
  query: Record<string, string>
  body: unknown
  errcode: number
}

export interface FakeAppMessage {
  touser: string
  msgtype: 'text' | 'markdown'
  agentid: number
  content: string
}

export interface FakeRobotMessage {
  key: string
  msgtype: 'text' | 'markdown'
  content: string
}

const ROBOT_LIMIT_PER_MINUTE = 20

// developer.work.weixin.qq.com/document/path/90236: "duplicate_check_interval … 默认1800s，
// 最大不超过4小时".
const DUPLICATE_CHECK_DEFAULT_S = 1800
const DUPLICATE_CHECK_MAX_S = 4 * 3600

/**
 * Where a held send stops: before WeCom took it (nothing delivered), or after it delivered the
 * message and before the answer left (the sender cannot tell it was delivered).
 */
export type HoldStage = 'before-delivery' | 'after-delivery'

class WecomApiFailure extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(errmsg)
  }
}

export class FakeWecom {
  readonly received = {
    requests: [] as FakeWecomRequest[],
    /** message/send bodies that were accepted. */
    messages: [] as FakeAppMessage[],
    /** webhook/send bodies that were accepted. */
    robot: [] as FakeRobotMessage[],
    /** message/send calls answered ok but not delivered: repeats within the duplicate check. */
    repeatsDropped: [] as FakeAppMessage[],
  }
  /** gettoken calls that issued a token. */
  tokenFetches = 0

  private readonly events = new EventEmitter()
  private currentToken: string | undefined
  private readonly expiredTokens = new Set<string>()
  private scriptedFailure: { remaining: number; errcode: number; errmsg: string } | undefined
  private readonly robotSends = new Map<string, number[]>()
  private httpFailure: { remaining: number; status: number } | undefined
  private holdRemaining = 0
  private holdStage: HoldStage = 'before-delivery'
  /** Duplicate-check entries: member + content → when it was delivered and for how long, ms. */
  private readonly deliveredAt = new Map<string, { at: number; windowMs: number }>()
  private readonly held: ServerResponse[] = []
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((err: unknown) => {
      // A bug in the fake itself: answer 500 so the client under test fails loudly.
      res.writeHead(500).end(String(err))
    })
  })
  url = ''

  constructor(private readonly options: FakeWecomOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    const { port } = this.server.address() as AddressInfo
    this.url = `http://127.0.0.1:${port}`
  }

  /** The next `count` message/send calls with a valid token answer `errcode`. */
  failNextSends(count: number, errcode: number, errmsg = 'scripted failure'): void {
    this.scriptedFailure = { remaining: count, errcode, errmsg }
  }

  /**
   * The next `count` message/send calls get no answer until dropHeld(): a send in flight when
   * its process dies. At `before-delivery` they are not recorded, as WeCom never took them; at
   * `after-delivery` WeCom delivered them and only the answer is lost.
   */
  holdNextSends(count: number, stage: HoldStage = 'before-delivery'): void {
    this.holdRemaining = count
    this.holdStage = stage
  }

  /** The next `count` message/send calls get HTTP `status` and a gateway's HTML page. */
  failNextSendsWithStatus(count: number, status: number): void {
    this.httpFailure = { remaining: count, status }
  }

  /** Resolves once `count` sends are being held. */
  waitForHeld(count = 1, timeoutMs = 2000): Promise<void> {
    if (this.held.length >= count) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const onHeld = () => {
        if (this.held.length < count) return
        clearTimeout(timer)
        this.events.off('held', onHeld)
        resolve()
      }
      const timer = setTimeout(() => {
        this.events.off('held', onHeld)
        reject(
          new Error(`fake WeCom: ${this.held.length} of ${count} sends held in ${timeoutMs} ms`),
        )
      }, timeoutMs)
      this.events.on('held', onHeld)
    })
  }

  /** Cuts the connections of the held sends: the client sees a network error. */
  dropHeld(): void {
    for (const res of this.held.splice(0)) res.socket?.destroy()
  }

  /** WeCom invalidates the current token early: the next call with it gets 42001. */
  expireToken(): void {
    if (this.currentToken !== undefined) this.expiredTokens.add(this.currentToken)
    this.currentToken = undefined
  }

  /**
   * Resolves with the first request (already received or arriving later) for which `predicate`
   * holds; rejects after `timeoutMs` listing what did arrive.
   */
  waitFor(
    predicate: (request: FakeWecomRequest) => boolean,
    timeoutMs = 2000,
  ): Promise<FakeWecomRequest> {
    const seen = this.received.requests.find(predicate)
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const onRequest = (request: FakeWecomRequest) => {
        if (!predicate(request)) return
        clearTimeout(timer)
        this.events.off('request', onRequest)
        resolve(request)
      }
      const timer = setTimeout(() => {
        this.events.off('request', onRequest)
        const got = this.received.requests.map((r) => `${r.path} → ${r.errcode}`).join(', ')
        reject(new Error(`fake WeCom: no matching request within ${timeoutMs} ms (got: ${got})`))
      }, timeoutMs)
      this.events.on('request', onRequest)
    })
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve, reject) =>
      this.server.close((err) => (err ? reject(err) : resolve())),
    )
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url)
    const query = Object.fromEntries(url.searchParams)
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    if (url.pathname === '/cgi-bin/message/send' && this.httpFailure?.remaining) {
      this.httpFailure.remaining -= 1
      this.received.requests.push({ path: url.pathname, query, body: raw, errcode: -1000 })
      res.writeHead(this.httpFailure.status, { 'content-type': 'text/html' }).end('<html></html>')
      return
    }
    const holding = url.pathname === '/cgi-bin/message/send' && this.holdRemaining > 0
    if (holding) this.holdRemaining -= 1
    if (holding && this.holdStage === 'before-delivery') {
      this.hold(res)
      return
    }
    let body: unknown
    try {
      body = raw === '' ? undefined : JSON.parse(raw)
    } catch {
      body = raw
    }
    let answer: Record<string, unknown> | undefined
    try {
      const result = this.route(url.pathname, query, body)
      answer = result === undefined ? undefined : { errcode: 0, errmsg: 'ok', ...result }
    } catch (err) {
      if (!(err instanceof WecomApiFailure)) throw err
      answer = { errcode: err.errcode, errmsg: err.errmsg }
    }
    // Recorded before answering, so a client that got its answer finds its request here.
    const request = { path: url.pathname, query, body, errcode: Number(answer?.errcode ?? -404) }
    this.received.requests.push(request)
    if (holding) {
      this.hold(res)
    } else if (answer === undefined) {
      res.writeHead(404).end()
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
    }
    this.events.emit('request', request)
  }

  private hold(res: ServerResponse): void {
    this.held.push(res)
    this.events.emit('held')
  }

  private route(
    path: string,
    query: Record<string, string>,
    body: unknown,
  ): Record<string, unknown> | undefined {
    if (path === '/cgi-bin/gettoken') return this.getToken(query)
    if (path === '/cgi-bin/message/send') return this.sendMessage(query, body)
    if (path === '/cgi-bin/webhook/send') return this.sendRobot(query, body)
    return undefined
  }

  // developer.work.weixin.qq.com/document/path/91039: a repeat fetch within the validity
  // period returns the same token.
  private getToken(query: Record<string, string>): Record<string, unknown> {
    if (query.corpid !== this.options.corpId || query.corpsecret !== this.options.secret) {
      throw new WecomApiFailure(40001, 'invalid credential')
    }
    this.tokenFetches += 1
    this.currentToken ??= randomBytes(32).toString('base64url')
    return { access_token: this.currentToken, expires_in: 7200 }
  }

  private checkToken(token: string | undefined): void {
    if (token !== undefined && this.expiredTokens.has(token)) {
      throw new WecomApiFailure(42001, 'access_token expired')
    }
    if (token === undefined || token !== this.currentToken) {
      throw new WecomApiFailure(40014, 'invalid access_token')
    }
  }

  private sendMessage(query: Record<string, string>, body: unknown): Record<string, unknown> {
    this.checkToken(query.access_token)
    if (this.scriptedFailure !== undefined && this.scriptedFailure.remaining > 0) {
      this.scriptedFailure.remaining -= 1
      throw new WecomApiFailure(this.scriptedFailure.errcode, this.scriptedFailure.errmsg)
    }
    const message = body as Record<string, unknown>
    if (message.agentid !== this.options.agentId) {
      throw new WecomApiFailure(40056, 'invalid agentid')
    }
    if (typeof message.touser !== 'string' || message.touser === '') {
      throw new WecomApiFailure(40003, 'invalid userid')
    }
    const { msgtype, content } = readContent(message, 2048)
    const delivered = { touser: message.touser, msgtype, agentid: this.options.agentId, content }
    const windowMs = readDuplicateCheck(message)
    if (windowMs !== undefined) {
      const key = JSON.stringify([message.touser, msgtype, content])
      const now = this.now()
      const earlier = this.deliveredAt.get(key)
      if (earlier !== undefined && now - earlier.at < earlier.windowMs) {
        this.received.repeatsDropped.push(delivered)
        return { invaliduser: '', msgid: randomBytes(12).toString('hex') }
      }
      this.deliveredAt.set(key, { at: now, windowMs })
    }
    this.received.messages.push(delivered)
    return { invaliduser: '', msgid: randomBytes(12).toString('hex') }
  }

  private sendRobot(query: Record<string, string>, body: unknown): Record<string, unknown> {
    const key = query.key
    if (key === undefined || key === '') throw new WecomApiFailure(93000, 'invalid webhook url')
    const now = this.now()
    const recent = (this.robotSends.get(key) ?? []).filter((at) => now - at < 60_000)
    if (recent.length >= ROBOT_LIMIT_PER_MINUTE) {
      throw new WecomApiFailure(45009, 'api freq out of limit')
    }
    const message = body as Record<string, unknown>
    const { msgtype, content } = readContent(message, message.msgtype === 'markdown' ? 4096 : 2048)
    this.robotSends.set(key, [...recent, now])
    this.received.robot.push({ key, msgtype, content })
    return {}
  }
}

/**
 * The duplicate-check window of a message/send body, ms; undefined when the check is off.
 * Stricter than WeCom is known to be: an interval outside 1 s–4 h is refused (40058).
 */
function readDuplicateCheck(message: Record<string, unknown>): number | undefined {
  if (message.enable_duplicate_check !== 1) return undefined
  const interval = message.duplicate_check_interval ?? DUPLICATE_CHECK_DEFAULT_S
  if (
    typeof interval !== 'number' ||
    !Number.isInteger(interval) ||
    interval < 1 ||
    interval > DUPLICATE_CHECK_MAX_S
  ) {
    throw new WecomApiFailure(40058, 'invalid duplicate_check_interval')
  }
  return interval * 1000
}

function readContent(
  message: Record<string, unknown>,
  limitBytes: number,
): { msgtype: 'text' | 'markdown'; content: string } {
  const msgtype = message.msgtype
  if (msgtype !== 'text' && msgtype !== 'markdown') {
    throw new WecomApiFailure(40008, 'invalid message type')
  }
  const content = (message[msgtype] as { content?: unknown } | undefined)?.content
  if (typeof content !== 'string' || content === '') {
    throw new WecomApiFailure(44004, 'empty content')
  }
  if (Buffer.byteLength(content, 'utf8') > limitBytes) {
    throw new WecomApiFailure(45002, 'content size out of limit')
  }
  return { msgtype, content }
}

/** Starts a fake WeCom API on 127.0.0.1 (random port); `close()` it in afterEach. */
export async function startFakeWecom(options: FakeWecomOptions): Promise<FakeWecom> {
  const fake = new FakeWecom(options)
  await fake.listen()
  return fake
}

export interface WecomCallbackKeys {
  token: string
  encodingAesKey: string
  corpId: string
}

/**
 * What WeCom POSTs to the callback URL for the decrypted message `inner`: encrypted for
 * `receiveId` (default the CorpID), signed with the token. Built with @wecom/crypto directly,
 * not with our crypto module, so the tests check our code against the vendor's library.
 */
export function sealWecomCallback(
  keys: WecomCallbackKeys,
  inner: string,
  options: { timestamp: string; nonce?: string; receiveId?: string; agentId?: string },
): RawWebhook {
  const nonce = options.nonce ?? String(randomInt(100_000_000, 1_000_000_000))
  const encrypted = encrypt(keys.encodingAesKey, inner, options.receiveId ?? keys.corpId)
  const body =
    `<xml><ToUserName><![CDATA[${keys.corpId}]]></ToUserName>` +
    `<Encrypt><![CDATA[${encrypted}]]></Encrypt>` +
    `<AgentID><![CDATA[${options.agentId ?? '1000002'}]]></AgentID></xml>`
  return {
    method: 'POST',
    query: {
      msg_signature: getSignature(keys.token, options.timestamp, nonce, encrypted),
      timestamp: options.timestamp,
      nonce,
    },
    headers: { 'content-type': 'text/xml' },
    rawBody: Buffer.from(body, 'utf8'),
  }
}
