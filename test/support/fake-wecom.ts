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
 */

export interface FakeWecomOptions {
  corpId: string
  secret: string
  agentId: number
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
  }
  /** gettoken calls that issued a token. */
  tokenFetches = 0

  private readonly events = new EventEmitter()
  private currentToken: string | undefined
  private readonly expiredTokens = new Set<string>()
  private scriptedFailure: { remaining: number; errcode: number; errmsg: string } | undefined
  private readonly robotSends = new Map<string, number[]>()
  private holdRemaining = 0
  private readonly held: ServerResponse[] = []
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((err: unknown) => {
      // A bug in the fake itself: answer 500 so the client under test fails loudly.
      res.writeHead(500).end(String(err))
    })
  })
  url = ''

  constructor(private readonly options: FakeWecomOptions) {}

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
   * its process dies. They are not recorded, as WeCom never took them.
   */
  holdNextSends(count: number): void {
    this.holdRemaining = count
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
    if (url.pathname === '/cgi-bin/message/send' && this.holdRemaining > 0) {
      this.holdRemaining -= 1
      this.held.push(res)
      this.events.emit('held')
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
    if (answer === undefined) {
      res.writeHead(404).end()
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
    }
    this.events.emit('request', request)
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
    this.received.messages.push({
      touser: message.touser,
      msgtype,
      agentid: this.options.agentId,
      content,
    })
    return { invaliduser: '', msgid: randomBytes(12).toString('hex') }
  }

  private sendRobot(query: Record<string, string>, body: unknown): Record<string, unknown> {
    const key = query.key
    if (key === undefined || key === '') throw new WecomApiFailure(93000, 'invalid webhook url')
    const now = Date.now()
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
