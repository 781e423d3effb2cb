import { once } from 'node:events'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_TOKEN,
  keysOf,
  expectHarmless,
  expectHealthy,
  expectNoRecords,
  fuzzParams,
  hostileText,
  startFuzzBot,
  type FuzzBot,
  FUZZ_TIMEOUT_MS,
} from './fuzz-support.js'

// Issue 10, part 8: random bytes, headers and queries on every route of the real Koa app.
// Whatever arrives, the answer is never a 5xx other than 503, a refusal stores nothing, and
// the process stays healthy.

const ROUTES = [
  '/webhooks/wecom',
  '/webhooks/dingtalk',
  '/webhooks/sandbox',
  '/webhooks/%E4%BC%81',
  '/sandbox',
  '/sandbox/messages',
  '/sandbox/outbox',
  '/exports/x',
  '/healthz',
  '/readyz',
  '/metrics',
  '/admin/queues',
  '/admin/queues/api/queues',
  '/',
]

const CONTENT_TYPES = [
  'text/xml',
  'application/xml; charset=gbk',
  'application/json',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'text/plain; charset=utf-8',
]

const queryValue = fc.oneof(hostileText, fc.stringMatching(/^[0-9a-f]{40}$/), fc.nat().map(String))
const query = fc.dictionary(
  fc.constantFrom('msg_signature', 'timestamp', 'nonce', 'echostr', 'token', 'limit', 'x'),
  queryValue,
  { maxKeys: 5 },
)
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/)
const headers = fc.record(
  {
    timestamp: fc.oneof(headerValue, fc.nat().map(String)),
    sign: headerValue,
    authorization: fc.oneof(
      headerValue,
      fc.constant(`Bearer ${ADMIN_TOKEN}`),
      headerValue.map((v) => `Basic ${Buffer.from(v).toString('base64')}`),
    ),
    'x-forwarded-for': fc.constantFrom('203.0.113.9', '127.0.0.1'),
  },
  { requiredKeys: [] },
)
const body = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.json({ maxDepth: 4 }).map((json) => Buffer.from(json)),
  hostileText.map((text) => Buffer.from(`<xml><Encrypt>${text}</Encrypt></xml>`)),
)

/** Every byte percent-encoded (lone surrogates too, which encodeURIComponent throws on). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
}

describe('fuzzing every route with random requests', () => {
  let fuzz: FuzzBot
  beforeAll(async () => {
    fuzz = await startFuzzBot()
  })
  afterAll(async () => {
    await fuzz.close()
  })

  it(
    'when random bytes, headers and queries arrive on any route, nothing 5xx and nothing stored',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTES),
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
          fc.constantFrom(...CONTENT_TYPES),
          query,
          headers,
          body,
          async (route, method, contentType, q, h, bytes) => {
            await expectHarmless(fuzz.t, () => {
              const request = fuzz.t.http[
                method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'
              ](route)
                .query(q)
                .set(h)
                .set('content-type', contentType)
              return method === 'GET' ? request : request.send(bytes)
            })
          },
        ),
        fuzzParams(100),
      )

      await expectHealthy(fuzz.t)
      await expectNoRecords(fuzz.t)
    },
    FUZZ_TIMEOUT_MS,
  )

  it(
    'when random sandbox messages arrive, each is answered 200 or 400 and no record is written',
    async () => {
      const message = fc.record(
        {
          user: fc.oneof(hostileText, fc.constant('zhangsan'), fc.integer()),
          chat: fc.oneof(hostileText, fc.constant(null)),
          text: fc.oneof(hostileText, fc.constant(''), fc.array(fc.string(), { maxLength: 2 })),
          id: fc.oneof(hostileText, fc.nat()),
        },
        { requiredKeys: [] },
      )

      await fc.assert(
        fc.asyncProperty(message, async (m) => {
          await expectHarmless(
            fuzz.t,
            () => fuzz.t.http.post('/sandbox/messages').send(m),
            [200, 400],
          )
        }),
        fuzzParams(40),
      )

      await expectHealthy(fuzz.t)
      await expectNoRecords(fuzz.t)
    },
    FUZZ_TIMEOUT_MS,
  )

  it(
    'when random export tokens and admin paths are asked for, each is refused without a 5xx',
    async () => {
      const token = fc.oneof(
        hostileText.map(percentEncode),
        fc.base64String({ maxLength: 200 }),
        fc
          .tuple(fc.base64String({ maxLength: 80 }), fc.base64String({ maxLength: 60 }))
          .map(([a, b]) => percentEncode(`${a}.${b}`)),
        // Malformed escapes: the router must not throw decoding them.
        fc.constantFrom('%', '%zz', '%E4%BC', '%00', '%C0%AE%C0%AE', '..%2F..%2Fetc'),
      )
      const adminPath = fc.oneof(
        fc.constantFrom('', '/', '/api/queues', '/api/queues/reminders', '/static/x.js'),
        fc.webPath().map((p) => `/api/queues${p}`),
        fc.webPath(),
      )

      await fc.assert(
        fc.asyncProperty(token, adminPath, fc.boolean(), async (tok, path, authorised) => {
          await expectHarmless(
            fuzz.t,
            () => fuzz.t.http.get(`/exports/${tok}`),
            [400, 403, 404, 410],
          )
          const admin = fuzz.t.http.get(`/admin/queues${path}`)
          await expectHarmless(fuzz.t, () =>
            authorised ? admin.set('authorization', `Bearer ${ADMIN_TOKEN}`) : admin,
          )
        }),
        fuzzParams(30),
      )

      await expectHealthy(fuzz.t)
    },
    FUZZ_TIMEOUT_MS,
  )

  it(
    'when a client announces a body and hangs up part-way, the process stays healthy and stores nothing',
    async () => {
      const server: Server = createServer(fuzz.t.bot.app.callback())
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
      const { port } = server.address() as AddressInfo
      const before = await keysOf(fuzz.t)
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('/webhooks/wecom', '/webhooks/dingtalk', '/sandbox/messages'),
            fc.integer({ min: 1, max: 4096 }),
            fc.uint8Array({ maxLength: 512 }),
            async (path, announced, sent) => {
              const req = request({
                host: '127.0.0.1',
                port,
                path,
                method: 'POST',
                headers: { 'content-length': String(announced + sent.length) },
              })
              // The server may answer (413, 4xx) or see only the hang-up; either is fine.
              req.on('error', () => undefined)
              req.write(Buffer.from(sent))
              const closed = new Promise((resolve) => req.on('close', resolve))
              req.destroy()
              await closed
            },
          ),
          fuzzParams(30),
        )
        await fuzz.t.bot.settle()

        expect([...(await keysOf(fuzz.t))].filter((key) => !before.has(key))).toEqual([])
        await expectHealthy(fuzz.t)
      } finally {
        server.closeAllConnections()
        server.close()
      }
    },
    FUZZ_TIMEOUT_MS,
  )
})
