import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PlatformApiError, PlatformHttpError } from '../../../src/errors.js'
import { createSilentLogger } from '../../../src/log.js'
import type { FetchLike, Platform, TokenCache } from '../../../src/platforms/types.js'
import { isPermanentWecomError, WecomClient } from '../../../src/platforms/wecom/client.js'
import type { WecomConfig } from '../../../src/platforms/wecom/config.js'
import { RedisTokenCache } from '../../../src/records/token-cache.js'
import { startFakeWecom, type FakeWecom } from '../../support/fake-wecom.js'
import { useTestRedis } from '../../support/redis.js'

const APP = { corpId: 'ww0123456789abcdef', secret: 'app-secret', agentId: 1000002 }

let fake: FakeWecom
let redis: Awaited<ReturnType<typeof useTestRedis>>

beforeEach(async () => {
  redis = await useTestRedis()
  fake = await startFakeWecom(APP)
})

afterEach(async () => {
  await fake.close()
  await redis.cleanup()
})

function config(overrides: Partial<WecomConfig> = {}): WecomConfig {
  return {
    corpId: APP.corpId,
    agentId: APP.agentId,
    secret: APP.secret,
    token: 'token',
    encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    apiBase: fake.url,
    ...overrides,
  }
}

function clientWith(
  overrides: { config?: Partial<WecomConfig>; tokens?: TokenCache; fetch?: FetchLike } = {},
): WecomClient {
  return new WecomClient({
    config: config(overrides.config),
    tokens: overrides.tokens ?? new RedisTokenCache(redis.redis, redis.keys),
    log: createSilentLogger(),
    timeoutMs: 2000,
    ...(overrides.fetch === undefined ? {} : { fetch: overrides.fetch }),
  })
}

/** The Redis cache, remembering the TTL of each set. */
class RecordingTokenCache implements TokenCache {
  readonly ttls: number[] = []
  constructor(private readonly inner: TokenCache) {}
  get(platform: Platform, appId: string) {
    return this.inner.get(platform, appId)
  }
  set(platform: Platform, appId: string, token: string, ttlSeconds: number) {
    this.ttls.push(ttlSeconds)
    return this.inner.set(platform, appId, token, ttlSeconds)
  }
  drop(platform: Platform, appId: string) {
    return this.inner.drop(platform, appId)
  }
}

function sendErrcodes(): number[] {
  return fake.received.requests
    .filter((r) => r.path === '/cgi-bin/message/send')
    .map((r) => r.errcode)
}

describe('WecomClient', () => {
  it('when sending twice, fetches the token once', async () => {
    const client = clientWith()

    await client.sendAppMessage('zhangsan', { text: '一' })
    await client.sendAppMessage('zhangsan', { text: '二' })

    expect(fake.tokenFetches).toBe(1)
    expect(fake.received.messages.map((m) => m.content)).toEqual(['一', '二'])
  })

  it('when a second client shares the Redis token cache, it does not refetch', async () => {
    await clientWith().sendAppMessage('zhangsan', { text: '一' })

    await clientWith().sendAppMessage('lisi', { text: '二' })

    expect(fake.tokenFetches).toBe(1)
  })

  it('when callers ask concurrently, they share one gettoken call', async () => {
    const client = clientWith()

    const tokens = await Promise.all([
      client.getAccessToken(),
      client.getAccessToken(),
      client.getAccessToken(),
    ])

    expect(new Set(tokens).size).toBe(1)
    expect(fake.tokenFetches).toBe(1)
  })

  it('when a token is issued for 7200 s, caches it 5 minutes shorter', async () => {
    const tokens = new RecordingTokenCache(new RedisTokenCache(redis.redis, redis.keys))

    await clientWith({ tokens }).getAccessToken()

    expect(tokens.ttls).toEqual([6900])
  })

  it('when the token expired early (42001), refetches once and the retry is delivered', async () => {
    const client = clientWith()
    await client.sendAppMessage('zhangsan', { text: '一' })
    fake.expireToken()

    await client.sendAppMessage('zhangsan', { text: '二' })

    expect(fake.tokenFetches).toBe(2)
    expect(sendErrcodes()).toEqual([0, 42001, 0])
    expect(fake.received.messages.map((m) => m.content)).toEqual(['一', '二'])
  })

  it('when WeCom is busy (-1), throws a non-permanent PlatformApiError', async () => {
    fake.failNextSends(1, -1, 'system busy')

    const error = await clientWith()
      .sendAppMessage('zhangsan', { text: '一' })
      .catch((err: unknown) => err)

    expect(error).toBeInstanceOf(PlatformApiError)
    expect(error).toMatchObject({ method: 'message/send', code: -1, permanent: false })
  })

  it('when every recipient is invalid (81013), throws a permanent PlatformApiError', async () => {
    fake.failNextSends(1, 81013, 'user & party & tag all invalid')

    const error = await clientWith()
      .sendAppMessage('nobody', { text: '一' })
      .catch((err: unknown) => err)

    expect(error).toBeInstanceOf(PlatformApiError)
    expect(error).toMatchObject({ platform: 'wecom', code: 81013, permanent: true })
  })

  it('when the secret is wrong, gettoken fails with a permanent 40001', async () => {
    const error = await clientWith({ config: { secret: 'wrong' } })
      .sendAppMessage('zhangsan', { text: '一' })
      .catch((err: unknown) => err)

    expect(error).toMatchObject({ method: 'gettoken', code: 40001, permanent: true })
    expect(fake.received.messages).toEqual([])
  })

  it('when the server is unreachable, throws PlatformHttpError', async () => {
    const url = fake.url
    await fake.close()
    fake = await startFakeWecom(APP)

    const error = await clientWith({ config: { apiBase: url } })
      .sendAppMessage('zhangsan', { text: '一' })
      .catch((err: unknown) => err)

    expect(error).toBeInstanceOf(PlatformHttpError)
  })

  it('when the answer is not 2xx, throws PlatformHttpError', async () => {
    const error = await clientWith({ config: { apiBase: `${fake.url}/no-such-gateway` } })
      .getAccessToken()
      .catch((err: unknown) => err)

    expect(error).toBeInstanceOf(PlatformHttpError)
  })

  it('when the server never answers, times out with PlatformHttpError', async () => {
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      })
    const client = new WecomClient({
      config: config(),
      tokens: new RedisTokenCache(redis.redis, redis.keys),
      log: createSilentLogger(),
      fetch: hanging,
      timeoutMs: 50,
    })

    await expect(client.getAccessToken()).rejects.toThrow(PlatformHttpError)
  })
})

describe('isPermanentWecomError', () => {
  it('when the code needs an operator, says permanent', () => {
    expect([81013, 40001, 48002, 60020, 60111, 93000, 93004].map(isPermanentWecomError)).toEqual(
      Array(7).fill(true),
    )
  })

  it('when the code is busy, rate-limited or unknown, says transient', () => {
    expect([-1, 45009, 45033, 40014, 42001, 99999].map(isPermanentWecomError)).toEqual(
      Array(6).fill(false),
    )
  })
})
