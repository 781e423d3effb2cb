import WebSocket from 'ws'
import { z } from 'zod'
import type { Logger } from '../../log.js'
import { postDingtalkJson, type DingtalkHttp } from './client.js'
import type { DingtalkConfig } from './config.js'

// platforms.md §6.2, from the official dingtalk-stream SDK: POST the gateway for an endpoint
// and a one-time ticket, open `${endpoint}?ticket=…`, answer every frame.
const GATEWAY_PATH = '/v1.0/gateway/connections/open'
export const ROBOT_TOPIC = '/v1.0/im/bot/messages/get'

const openAnswerSchema = z.looseObject({
  endpoint: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL'),
  ticket: z.string().min(1),
})

const frameSchema = z.looseObject({
  type: z.enum(['SYSTEM', 'EVENT', 'CALLBACK']),
  headers: z.looseObject({ messageId: z.string().min(1), topic: z.string().optional() }),
  data: z.string().optional(),
})
type Frame = z.infer<typeof frameSchema>

/**
 * What the bot made of a robot message: `ack` once it is stored (or can never be), `retry`
 * when it could not be stored now (Redis down): the frame is left unanswered, and DingTalk
 * sends it again within about a minute, as a 503 makes it do over HTTP.
 */
export type StreamVerdict = 'ack' | 'retry'

export interface DingtalkStreamOptions {
  config: DingtalkConfig
  http: DingtalkHttp
  log: Logger
  /** Handles the `data` of one robot message frame, already JSON-parsed. */
  onRobotMessage: (data: unknown) => Promise<StreamVerdict>
  /** First wait before reconnecting, doubled per failure up to 30 s. @defaultValue 1000 */
  reconnectDelayMs?: number
  /** How often the socket is pinged; no answer by the next ping drops it. @defaultValue 30000 */
  keepAliveMs?: number
  /** Told when the socket opens and closes (metrics). */
  onStatus?: (status: 'connected' | 'disconnected') => void
  /** Told each time a reconnect is scheduled (metrics). */
  onReconnect?: () => void
}

const MAX_RECONNECT_DELAY_MS = 30_000

/**
 * DingTalk Stream mode (DINGTALK_MODE=stream): the bot dials out to DingTalk over a
 * WebSocket, so it needs no public URL. Robot messages arrive as frames and go the same way
 * as HTTP callbacks; replies still go out through the sessionWebhook or the OpenAPI (the
 * socket carries none). Reconnects with backoff whenever the socket drops, the server says
 * `disconnect`, or it stops answering pings.
 *
 * Why not the dingtalk-stream SDK: it posts to a hard-coded api.dingtalk.com (so
 * DINGTALK_API_BASE and a local fake cannot be used), and its issue tracker reports sockets
 * leaked on reconnect and reconnects that never happen after an error (platforms.md §6.2).
 */
export class DingtalkStream {
  private socket: WebSocket | undefined
  private stopped = true
  private failures = 0
  private reconnectTimer: NodeJS.Timeout | undefined
  private keepAliveTimer: NodeJS.Timeout | undefined
  private readonly log: Logger

  constructor(private readonly options: DingtalkStreamOptions) {
    this.log = options.log
  }

  /** Starts connecting and keeps the connection up until stop(); does not wait for it. */
  start(): void {
    if (!this.stopped) return
    this.stopped = false
    void this.connect()
  }

  /** Closes the socket and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.reconnectTimer)
    clearInterval(this.keepAliveTimer)
    const socket = this.socket
    this.socket = undefined
    if (!socket || socket.readyState === WebSocket.CLOSED) return
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve())
      socket.close(1000, 'bot stopping')
      // A peer that never answers the close handshake must not hold up shutdown.
      setTimeout(() => socket.terminate(), 2000).unref()
    })
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    let url: string
    try {
      url = await this.openTicket()
    } catch (err) {
      this.log.error({ err }, 'dingtalk stream: the gateway refused a connection')
      this.scheduleReconnect()
      return
    }
    if (this.stopped) return
    const socket = new WebSocket(url, { handshakeTimeout: this.options.http.timeoutMs })
    this.socket = socket
    let answered = true
    socket.on('open', () => {
      this.failures = 0
      this.options.onStatus?.('connected')
      this.log.info('dingtalk stream: connected')
      clearInterval(this.keepAliveTimer)
      this.keepAliveTimer = setInterval(() => {
        // A zombie socket (open, but the gateway gone) shows only as a missing answer.
        if (!answered) {
          this.log.warn('dingtalk stream: no answer to the last ping; reconnecting')
          socket.terminate()
          return
        }
        answered = false
        socket.ping()
      }, this.options.keepAliveMs ?? 30_000)
    })
    socket.on('pong', () => {
      answered = true
    })
    socket.on('message', (data: WebSocket.RawData) => {
      answered = true
      void this.onFrame(socket, rawText(data))
    })
    // ws emits 'close' after 'error', so reconnecting is left to 'close'.
    socket.on('error', (err) => this.log.warn({ err }, 'dingtalk stream: socket error'))
    socket.on('close', (code: number) => {
      if (this.socket === socket) this.socket = undefined
      clearInterval(this.keepAliveTimer)
      this.options.onStatus?.('disconnected')
      if (this.stopped) return
      this.log.warn({ code }, 'dingtalk stream: connection closed; reconnecting')
      this.scheduleReconnect()
    })
  }

  private async openTicket(): Promise<string> {
    const { config, http } = this.options
    const answer = await postDingtalkJson(
      http,
      'gateway/connections/open',
      `${config.apiBase}${GATEWAY_PATH}`,
      {
        clientId: config.appKey,
        clientSecret: config.appSecret,
        ua: 'shuangyong-bot',
        subscriptions: [{ type: 'CALLBACK', topic: ROBOT_TOPIC }],
      },
      // "这个接口得加个，否则默认返回的会是xml" (the SDK): without it the answer is XML.
      { accept: 'application/json' },
    )
    const { endpoint, ticket } = openAnswerSchema.parse(answer)
    const url = new URL(endpoint)
    url.searchParams.set('ticket', ticket)
    return url.toString()
  }

  private scheduleReconnect(): void {
    if (this.stopped) return
    this.options.onReconnect?.()
    const first = this.options.reconnectDelayMs ?? 1000
    const delay = Math.min(first * 2 ** this.failures, MAX_RECONNECT_DELAY_MS)
    this.failures += 1
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = setTimeout(() => void this.connect(), delay)
  }

  private async onFrame(socket: WebSocket, text: string): Promise<void> {
    let frame: Frame
    try {
      frame = frameSchema.parse(JSON.parse(text))
    } catch {
      this.log.warn({ bytes: text.length }, 'dingtalk stream: unreadable frame ignored')
      return
    }
    const { type, headers } = frame
    if (type === 'SYSTEM') {
      if (headers.topic === 'ping') {
        send(socket, { code: 200, headers, message: 'OK', data: frame.data })
      } else if (headers.topic === 'disconnect') {
        // The gateway is about to drop this socket: leave first, and dial again.
        this.log.info('dingtalk stream: the gateway asked to reconnect')
        socket.close(1000, 'reconnecting')
      }
      return
    }
    if (type === 'EVENT') {
      // Not subscribed to any; a stray one is acknowledged so it is not resent.
      this.ack(socket, headers.messageId, { status: 'SUCCESS' })
      return
    }
    if (headers.topic !== ROBOT_TOPIC) {
      this.ack(socket, headers.messageId, { response: null })
      return
    }
    let data: unknown
    try {
      data = JSON.parse(frame.data ?? '')
    } catch {
      this.log.warn({ messageId: headers.messageId }, 'dingtalk stream: robot data is not JSON')
      this.ack(socket, headers.messageId, { response: null })
      return
    }
    let verdict: StreamVerdict
    try {
      verdict = await this.options.onRobotMessage(data)
    } catch (err) {
      this.log.error({ err, messageId: headers.messageId }, 'dingtalk stream: message failed')
      verdict = 'ack'
    }
    if (verdict === 'ack') this.ack(socket, headers.messageId, { response: null })
  }

  private ack(socket: WebSocket, messageId: string, result: unknown): void {
    send(socket, {
      code: 200,
      headers: { contentType: 'application/json', messageId },
      message: 'OK',
      data: JSON.stringify(result),
    })
  }
}

function send(socket: WebSocket, frame: unknown): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame))
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data as ArrayBuffer).toString('utf8')
}
