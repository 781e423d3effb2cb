import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PlatformApiError, PlatformHttpError } from '../../../src/errors.js'
import { createSilentLogger } from '../../../src/log.js'
import { DingtalkClient, markdownTitle } from '../../../src/platforms/dingtalk/client.js'
import type { DingtalkConfig } from '../../../src/platforms/dingtalk/config.js'
import type { FetchLike } from '../../../src/platforms/types.js'
import { RedisTokenCache } from '../../../src/records/token-cache.js'
import { startFakeDingtalk, type FakeDingtalk } from '../../support/fake-dingtalk.js'
import { useTestRedis } from '../../support/redis.js'
import { replyOf } from '../../../src/replies/reply-of.js'

const APP = {
  appKey: 'dingbotappkey123',
  appSecret: 'test-app-secret-0123456789abcdef',
  robotCode: 'dingbotappkey123',
}

let fake: FakeDingtalk
let redis: Awaited<ReturnType<typeof useTestRedis>>
let tokens: RedisTokenCache
let config: DingtalkConfig

function makeClient(
  overrides: { fetch?: FetchLike; timeoutMs?: number; config?: DingtalkConfig } = {},
) {
  return new DingtalkClient({
    config: overrides.config ?? config,
    tokens,
    log: createSilentLogger(),
    fetch: overrides.fetch,
    timeoutMs: overrides.timeoutMs,
  })
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

beforeEach(async () => {
  fake = await startFakeDingtalk(APP)
  redis = await useTestRedis()
  tokens = new RedisTokenCache(redis.redis, redis.keys)
  config = { ...APP, mode: 'http', apiBase: fake.url, oapiBase: fake.url }
})

afterEach(async () => {
  await fake.close()
  await redis.cleanup()
})

describe('DingtalkClient access token', () => {
  it('when sending twice, fetches the token once', async () => {
    const client = makeClient()

    await client.sendToUsers(['0987654321'], { text: '一' })
    await client.sendToUsers(['0987654321'], { text: '二' })

    expect(fake.tokenFetches).toBe(1)
  })

  it("when two clients share one Redis token cache, the second reuses the first one's token", async () => {
    await makeClient().sendToUsers(['0987654321'], { text: '一' })

    await makeClient().sendToGroup('cidZ3pZ5nBvYWVX8q0Qx8m6Jw==', { text: '二' })

    expect(fake.tokenFetches).toBe(1)
    const sends = fake.received.filter((r) => r.kind === 'batchSend' || r.kind === 'groupSend')
    expect(new Set(sends.map((r) => r.token)).size).toBe(1)
  })

  it('when many sends start at once on an empty cache, fetches the token once', async () => {
    const client = makeClient()

    await Promise.all(
      Array.from({ length: 5 }, (_, i) => client.sendToUsers([`user${i}`], { text: `${i}` })),
    )

    expect(fake.tokenFetches).toBe(1)
  })

  it('when caching, keeps the token five minutes less than expireIn', async () => {
    await makeClient().accessToken()

    const ttl = await redis.redis.ttl(redis.keys.accessToken('dingtalk', APP.appKey))

    expect(ttl).toBeGreaterThan(7200 - 300 - 5)
    expect(ttl).toBeLessThanOrEqual(7200 - 300)
  })

  it('when DingTalk revokes the cached token, fetches a new one once and delivers', async () => {
    const client = makeClient()
    await client.sendToUsers(['0987654321'], { text: '一' })
    fake.revokeTokens()

    await client.sendToUsers(['0987654321'], { text: '二' })

    expect(fake.tokenFetches).toBe(2)
    expect(fake.received.filter((r) => r.kind === 'batchSend')).toHaveLength(2)
  })

  it('when a send answers 401 InvalidAuthentication, retries once with a fresh token', async () => {
    const client = makeClient()
    fake.failNext(1, {
      status: 401,
      code: 'InvalidAuthentication',
      message: '不合法的access_token',
      path: '/v1.0/robot',
    })

    await client.sendToGroup('cidZ3pZ5nBvYWVX8q0Qx8m6Jw==', { text: '你好' })

    expect(fake.tokenFetches).toBe(2)
    expect(fake.received.filter((r) => r.kind === 'groupSend')).toHaveLength(1)
  })

  it('when the fresh token is rejected too, gives up with the PlatformApiError', async () => {
    fake.failNext(2, { status: 401, code: 'InvalidAuthentication', path: '/v1.0/robot' })

    const err = await rejectionOf(makeClient().sendToUsers(['0987654321'], { text: '你好' }))

    expect(err).toBeInstanceOf(PlatformApiError)
    expect((err as PlatformApiError).code).toBe('InvalidAuthentication')
    expect(fake.tokenFetches).toBe(2)
  })

  it('when the AppSecret is wrong, the token fetch fails with a permanent PlatformApiError', async () => {
    const client = makeClient({ config: { ...config, appSecret: 'wrong' } })

    const err = await rejectionOf(client.sendToUsers(['0987654321'], { text: '你好' }))

    expect(err).toBeInstanceOf(PlatformApiError)
    expect((err as PlatformApiError).permanent).toBe(true)
    expect((err as PlatformApiError).method).toBe('oauth2/accessToken')
  })
})

describe('DingtalkClient sends', () => {
  it('when sending text to users, posts sampleText with msgParam as a JSON string', async () => {
    await makeClient().sendToUsers(['0987654321'], { text: '已登记 #12' })

    expect(fake.received.at(-1)).toMatchObject({
      kind: 'batchSend',
      robotCode: APP.robotCode,
      userIds: ['0987654321'],
      msgKey: 'sampleText',
      msgParam: { content: '已登记 #12' },
    })
  })

  it('when sending a reply with rows to a group, posts sampleMarkdown titled by its title', async () => {
    await makeClient().sendToGroup(
      'cidZ3pZ5nBvYWVX8q0Qx8m6Jw==',
      replyOf('2027年八一走访统计（铁炉嘴村、石门村、桃花村）', [
        { lines: ['已走访 12 户'] },
        { caption: '各村：', rows: [{ name: '石门村', cells: ['3/4 户'] }] },
      ]),
    )

    expect(fake.received.at(-1)).toMatchObject({
      kind: 'groupSend',
      openConversationId: 'cidZ3pZ5nBvYWVX8q0Qx8m6Jw==',
      msgKey: 'sampleMarkdown',
      msgParam: {
        title: '2027年八一走访统计（铁炉嘴村、石门村',
        text: '**2027年八一走访统计（铁炉嘴村、石门村、桃花村）**\n\n已走访 12 户\n\n各村：\n\n- **石门村** 3/4 户',
      },
    })
  })

  it('when sending to 45 users, splits them into requests of at most 20', async () => {
    const users = Array.from({ length: 45 }, (_, i) => `user${i}`)

    await makeClient().sendToUsers(users, { text: '提醒' })

    const sends = fake.received.filter((r) => r.kind === 'batchSend')
    expect(sends.map((r) => r.userIds.length)).toEqual([20, 20, 5])
  })

  it('when DingTalk rejects a parameter, throws a permanent PlatformApiError with the code', async () => {
    fake.failNext(1, {
      status: 400,
      code: 'invalidParameter.userIds.empty',
      path: '/v1.0/robot/oToMessages',
    })

    const err = await rejectionOf(makeClient().sendToUsers(['0987654321'], { text: '你好' }))

    expect(err).toBeInstanceOf(PlatformApiError)
    expect(err).toMatchObject({
      platform: 'dingtalk',
      method: 'robot/oToMessages/batchSend',
      code: 'invalidParameter.userIds.empty',
      permanent: true,
    })
  })

  it('when DingTalk throttles, throws a transient PlatformApiError', async () => {
    fake.failNext(1, { status: 429, code: 'Throttling.Api', path: '/v1.0/robot' })

    const err = await rejectionOf(makeClient().sendToUsers(['0987654321'], { text: '你好' }))

    expect(err).toMatchObject({ code: 'Throttling.Api', permanent: false })
  })

  it('when DingTalk answers 500 with a code, throws a transient PlatformApiError', async () => {
    fake.failNext(1, { status: 500, code: 'systemError', path: '/v1.0/robot' })

    const err = await rejectionOf(makeClient().sendToGroup('cid1', { text: '你好' }))

    expect(err).toBeInstanceOf(PlatformApiError)
    expect((err as PlatformApiError).permanent).toBe(false)
  })

  it('when a gateway answers an HTML 502, throws PlatformHttpError', async () => {
    fake.failNext(1, { status: 502, body: '<html>Bad Gateway</html>', path: '/v1.0/robot' })

    const err = await rejectionOf(makeClient().sendToGroup('cid1', { text: '你好' }))

    expect(err).toBeInstanceOf(PlatformHttpError)
  })

  it('when DingTalk does not answer in time, throws PlatformHttpError', async () => {
    const hanging: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      })

    const err = await rejectionOf(
      makeClient({ fetch: hanging, timeoutMs: 50 }).sendToUsers(['0987654321'], { text: '你好' }),
    )

    expect(err).toBeInstanceOf(PlatformHttpError)
  })

  it('when nothing listens at the API base, throws PlatformHttpError', async () => {
    const base = fake.url
    await fake.close()
    fake = await startFakeDingtalk(APP)
    const client = makeClient({ config: { ...config, apiBase: base } })

    const err = await rejectionOf(client.sendToUsers(['0987654321'], { text: '你好' }))

    expect(err).toBeInstanceOf(PlatformHttpError)
  })
})

describe('DingtalkClient.postSessionWebhook', () => {
  it('when the URL is on the oapi origin, posts the body there', async () => {
    await makeClient().postSessionWebhook(fake.sessionWebhookUrl('s1'), {
      msgtype: 'text',
      text: { content: '你好' },
    })

    expect(fake.received.at(-1)).toEqual({
      kind: 'session',
      session: 's1',
      body: { msgtype: 'text', text: { content: '你好' } },
    })
  })

  it('when the URL is on another origin, refuses with a permanent PlatformApiError', async () => {
    const err = await rejectionOf(
      makeClient().postSessionWebhook('https://evil.example.com/robot/sendBySession?session=x', {
        msgtype: 'text',
        text: { content: '你好' },
      }),
    )

    expect(err).toMatchObject({ code: 'foreignOrigin', permanent: true })
  })
})

describe('markdownTitle', () => {
  it('when the text starts with blank lines and markup, uses the first words', () => {
    expect(markdownTitle('\n\n### **今日提醒**\n内容')).toBe('今日提醒')
  })

  it('when the text is empty, falls back to the bot name', () => {
    expect(markdownTitle('  \n ')).toBe('双拥助手')
  })
})
