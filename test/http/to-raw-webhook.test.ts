import Koa from 'koa'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { toRawWebhook } from '../../src/http/to-raw-webhook.js'

/** What an adapter is handed for a request, and what koa's own `ctx.query` made of it. */
async function read(path: string, headers: Record<string, string> = {}) {
  const app = new Koa()
  app.use(async (ctx) => {
    const raw = await toRawWebhook(ctx)
    const koa = Object.entries(ctx.query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])
    ctx.body = { query: raw.query, headers: raw.headers, koa: Object.fromEntries(koa) }
  })
  return (await supertest(app.callback()).get(path).set(headers)).body as {
    query: Record<string, string>
    headers: Record<string, string>
    koa: Record<string, string>
  }
}

describe('toRawWebhook', () => {
  it.each([
    'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780',
    'a=1&a=2&b=%E5%BC%A0+%20',
    '__proto__=x&constructor=y',
    'x',
    '=v&&k=',
  ])('reads the query %s as koa does, keeping the first of a repeated name', async (query) => {
    const body = await read(`/?${query}`)

    expect(body.query).toEqual(body.koa)
  })

  it('hands on each header once, by its lower-case name', async () => {
    const body = await read('/', { 'X-Forwarded-For': '10.0.0.1', timestamp: '1' })

    expect(body.headers).toMatchObject({ 'x-forwarded-for': '10.0.0.1', timestamp: '1' })
  })
})
