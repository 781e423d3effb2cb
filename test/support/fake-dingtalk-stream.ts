import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { z } from 'zod'

/**
 * DingTalk's Stream gateway, as platforms.md §6.2 describes it, on the fake's HTTP server:
 * `POST /v1.0/gateway/connections/open` hands out an endpoint and a one-time ticket, the
 * socket at the endpoint refuses any other ticket, and every frame pushed must be answered
 * with an ack carrying its messageId. Written from the protocol, not from src/.
 */

export const ROBOT_TOPIC = '/v1.0/im/bot/messages/get'

/** What the client answered to a frame: an ack of a message, or the echo of a ping. */
export interface StreamAnswer {
  code: number
  messageId: string
  data: unknown
  headers: Record<string, unknown>
}

/** What the gateway saw on one socket. */
export interface FakeStreamConnection {
  /** WebSocket pings the client sent on it. */
  pings: number
  /** Pongs the gateway answered them with (none once muted). */
  pongs: number
  /** Set once it closed: the close code and whether the gateway or the client ended it. */
  closed?: { code: number; by: 'gateway' | 'client' }
}

export interface FakeStreamGateway {
  /** Sockets opened so far (closed ones included). */
  readonly opened: number
  /** Every socket opened so far, oldest first. */
  readonly connections: readonly FakeStreamConnection[]
  /** Sockets open now. */
  readonly open: number
  /** Every answer the client sent, oldest first. */
  readonly answers: StreamAnswer[]
  /** Resolves once `n` sockets have been opened in all (past or future). */
  waitForOpened(n: number, timeoutMs?: number): Promise<void>
  /** Pushes a robot message (the §4.2 JSON) on the newest socket; returns the frame's messageId. */
  pushRobotMessage(data: unknown, messageId?: string): string
  /** Sends `text` as is on the newest socket (malformed-frame tests). */
  sendRaw(text: string): void
  /** Resolves with the client's answer to `messageId` (past or future). */
  waitForAnswer(messageId: string, timeoutMs?: number): Promise<StreamAnswer>
  /** A SYSTEM ping; returns its messageId (the echo is an answer). */
  ping(opaque: string): string
  /** A SYSTEM disconnect: the gateway is about to drop the socket. */
  askToReconnect(): void
  /** Drops the newest socket with no close frame, as a network failure does. */
  drop(): void
  /** The newest socket stops answering WebSocket pings (a zombie connection); later ones answer. */
  mute(): void
  /** Resolves once `done()` holds, checked after anything the gateway records; `what` names it. */
  waitFor(done: () => boolean, what: string, timeoutMs?: number): Promise<void>
}

const openRequestSchema = z.object({
  clientId: z.string(),
  clientSecret: z.string(),
  subscriptions: z.array(z.object({ type: z.string(), topic: z.string() })),
})

const answerSchema = z.object({
  code: z.number(),
  headers: z.looseObject({ messageId: z.string() }),
  message: z.string().optional(),
  data: z.string().optional(),
})

/** A refusal of the gateway's open call, as the fake's router answers it. */
export class GatewayRefusal {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export function attachStreamGateway(
  server: Server,
  base: () => string,
  credentials: { appKey: string; appSecret: string },
): {
  gateway: FakeStreamGateway
  open: (req: IncomingMessage, json: unknown) => unknown
  shutdown: () => void
} {
  const events = new EventEmitter()
  const tickets = new Set<string>()
  const sockets: WebSocket[] = []
  const answers: StreamAnswer[] = []
  const connections: FakeStreamConnection[] = []
  const muted = new Set<WebSocket>()
  const endedByGateway = new Set<WebSocket>()
  let opened = 0
  // Anything recorded: what waitFor re-checks on.
  const changed = () => events.emit('change')
  const wss = new WebSocketServer({ noServer: true, autoPong: false })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const ticket = url.searchParams.get('ticket') ?? ''
    if (url.pathname !== '/connect' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws)
      opened += 1
      const connection: FakeStreamConnection = { pings: 0, pongs: 0 }
      connections.push(connection)
      ws.on('ping', (data: Buffer) => {
        connection.pings += 1
        if (!muted.has(ws)) {
          ws.pong(data)
          connection.pongs += 1
        }
        changed()
      })
      ws.on('message', (raw: Buffer) => {
        const parsed = answerSchema.safeParse(JSON.parse(raw.toString('utf8')))
        if (!parsed.success) return
        const { code, headers, data } = parsed.data
        const answer = {
          code,
          messageId: headers.messageId,
          headers,
          data: data === undefined ? undefined : (JSON.parse(data) as unknown),
        }
        answers.push(answer)
        events.emit('answer', answer)
        changed()
      })
      ws.on('close', (code: number) => {
        sockets.splice(sockets.indexOf(ws), 1)
        connection.closed = { code, by: endedByGateway.has(ws) ? 'gateway' : 'client' }
        changed()
      })
      events.emit('opened')
      changed()
    })
  })

  const newest = (): WebSocket => {
    const ws = sockets.at(-1)
    if (!ws) throw new Error('fake DingTalk stream: no socket is open')
    return ws
  }
  const frame = (type: string, topic: string, data: string, messageId: string = randomUUID()) => {
    newest().send(
      JSON.stringify({
        specVersion: '1.0',
        type,
        headers: {
          appId: credentials.appKey,
          connectionId: randomUUID(),
          contentType: 'application/json',
          messageId,
          time: String(Date.now()),
          topic,
        },
        data,
      }),
    )
    return messageId
  }

  const open = (req: IncomingMessage, json: unknown): unknown => {
    // The SDK's note: without Accept: application/json the gateway answers XML.
    if (!String(req.headers.accept ?? '').includes('application/json')) {
      throw new GatewayRefusal(200, '<xml><code>406</code></xml>')
    }
    const parsed = openRequestSchema.safeParse(json)
    if (
      !parsed.success ||
      parsed.data.clientId !== credentials.appKey ||
      parsed.data.clientSecret !== credentials.appSecret
    ) {
      // The real code for bad credentials here is unconfirmed; a 401 with a code will do.
      throw new GatewayRefusal(401, { code: 'Unauthorized', message: 'clientId或clientSecret错误' })
    }
    if (!parsed.data.subscriptions.some((s) => s.topic === ROBOT_TOPIC)) {
      throw new GatewayRefusal(400, { code: 'InvalidParameter', message: '未订阅机器人消息' })
    }
    const ticket = randomUUID()
    tickets.add(ticket)
    return { endpoint: `${base().replace(/^http/, 'ws')}/connect`, ticket }
  }

  const gateway: FakeStreamGateway = {
    get opened() {
      return opened
    },
    get open() {
      return sockets.length
    },
    connections,
    answers,
    waitForOpened: (n, timeoutMs = 5000) =>
      waitUntil(events, 'opened', () => opened >= n, timeoutMs, `${n} sockets opened`),
    pushRobotMessage: (data, messageId) =>
      frame('CALLBACK', ROBOT_TOPIC, JSON.stringify(data), messageId),
    sendRaw: (text) => newest().send(text),
    waitForAnswer: async (messageId, timeoutMs = 5000) => {
      await waitUntil(
        events,
        'answer',
        () => answers.some((a) => a.messageId === messageId),
        timeoutMs,
        `an answer to ${messageId}`,
      )
      return answers.find((a) => a.messageId === messageId)!
    },
    ping: (opaque) => frame('SYSTEM', 'ping', JSON.stringify({ opaque })),
    askToReconnect: () => void frame('SYSTEM', 'disconnect', '{}'),
    drop: () => {
      const ws = newest()
      endedByGateway.add(ws)
      ws.terminate()
    },
    mute: () => {
      muted.add(newest())
    },
    waitFor: (done, what, timeoutMs = 5000) => waitUntil(events, 'change', done, timeoutMs, what),
  }
  const shutdown = () => {
    for (const ws of [...sockets]) {
      endedByGateway.add(ws)
      ws.terminate()
    }
    wss.close()
  }
  return { gateway, open, shutdown }
}

function waitUntil(
  events: EventEmitter,
  event: string,
  done: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  if (done()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return
      cleanup()
      resolve()
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`fake DingTalk stream: waited ${timeoutMs} ms for ${what}`))
    }, timeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      events.off(event, check)
    }
    events.on(event, check)
  })
}
