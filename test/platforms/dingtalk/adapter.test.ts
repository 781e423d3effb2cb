import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  StoreUnavailableError,
  WebhookAuthError,
  WebhookPayloadError,
} from '../../../src/errors.js'
import { DingtalkAdapter } from '../../../src/platforms/dingtalk/adapter.js'
import { DingtalkClient } from '../../../src/platforms/dingtalk/client.js'
import type { DingtalkConfig } from '../../../src/platforms/dingtalk/config.js'
import type { FetchLike, IncomingMessage } from '../../../src/platforms/types.js'
import { connectRedis } from '../../../src/records/redis.js'
import { RedisSignLedger } from '../../../src/records/sign-ledger.js'
import { RedisTokenCache } from '../../../src/records/token-cache.js'
import {
  robotCallback,
  signedRobotRequest,
  startFakeDingtalk,
  type FakeDingtalk,
} from '../../support/fake-dingtalk.js'
import { TEST_REDIS_URL, useTestRedis } from '../../support/redis.js'
import { replyOf } from '../../../src/replies/reply-of.js'

const APP = {
  appKey: 'dingbotappkey123',
  appSecret: 'test-app-secret-0123456789abcdef',
  robotCode: 'dingbotappkey123',
}
// One second after the fixtures' createAt; their sessionWebhook expires 90 minutes later.
const NOW = new Date(1785294601000)
const EXPIRED = 1785294600000 + 5_400_000

let fake: FakeDingtalk
let redis: Awaited<ReturnType<typeof useTestRedis>>
let adapter: DingtalkAdapter
let fetchedUrls: string[]
let logged: { msg: string; messageId?: string }[]
let now: Date

beforeEach(async () => {
  fake = await startFakeDingtalk(APP)
  redis = await useTestRedis()
  now = NOW
  fetchedUrls = []
  logged = []
  const recordingFetch: FetchLike = (input, init) => {
    fetchedUrls.push(input instanceof Request ? input.url : String(input))
    return fetch(input, init)
  }
  const log = pino(
    { level: 'warn' },
    { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) },
  )
  const config: DingtalkConfig = { ...APP, mode: 'http', apiBase: fake.url, oapiBase: fake.url }
  const client = new DingtalkClient({
    config,
    tokens: new RedisTokenCache(redis.redis, redis.keys),
    fetch: recordingFetch,
    log,
  })
  adapter = new DingtalkAdapter({
    config,
    client,
    log,
    now: () => now,
    signs: new RedisSignLedger(redis.redis, redis.keys),
  })
})

afterEach(async () => {
  await adapter.pending()
  await fake.close()
  await redis.cleanup()
})

/** A callback signed now, with its sessionWebhook pointing at the fake. */
function callback(
  name: 'text-group' | 'text-single' | 'picture',
  overrides: Record<string, unknown> = {},
) {
  const body = robotCallback(name, { sessionWebhook: fake.sessionWebhookUrl(name), ...overrides })
  return signedRobotRequest(body, APP.appSecret, NOW.getTime())
}

async function received(req: ReturnType<typeof callback>): Promise<IncomingMessage> {
  const msg = await adapter.receive(req)
  if (msg === undefined) throw new Error('expected a message')
  return msg
}

describe('DingtalkAdapter.receive', () => {
  it('when the sign is valid, returns the message', async () => {
    const msg = await adapter.receive(
      callback('text-group', { text: { content: '@双拥助手 统计' } }),
    )

    expect(msg).toMatchObject({
      platform: 'dingtalk',
      chat: { chatId: 'cidZ3pZ5nBvYWVX8q0Qx8m6Jw==', isGroup: true },
      sender: { userId: '0123456789' },
      text: '统计',
    })
  })

  it('when the sign is forged, throws WebhookAuthError', async () => {
    const req = callback('text-group')
    req.headers.sign = signedRobotRequest({}, 'someone-elses-secret', NOW.getTime()).headers.sign

    await expect(adapter.receive(req)).rejects.toBeInstanceOf(WebhookAuthError)
  })

  it('when the timestamp and sign headers are missing, throws WebhookAuthError', async () => {
    const req = callback('text-group')
    delete req.headers.timestamp
    delete req.headers.sign

    await expect(adapter.receive(req)).rejects.toBeInstanceOf(WebhookAuthError)
  })

  it('when the request was signed 61 minutes ago, throws WebhookAuthError', async () => {
    const req = signedRobotRequest(
      robotCallback('text-group'),
      APP.appSecret,
      NOW.getTime() - 61 * 60_000,
    )

    await expect(adapter.receive(req)).rejects.toBeInstanceOf(WebhookAuthError)
  })

  it('when the request is signed 61 minutes in the future, throws WebhookAuthError', async () => {
    const req = signedRobotRequest(
      robotCallback('text-group'),
      APP.appSecret,
      NOW.getTime() + 61 * 60_000,
    )

    await expect(adapter.receive(req)).rejects.toBeInstanceOf(WebhookAuthError)
  })

  it('when the sign is forged and the body malformed, the auth error wins', async () => {
    const req = signedRobotRequest('{not json', 'someone-elses-secret', NOW.getTime())

    await expect(adapter.receive(req)).rejects.toBeInstanceOf(WebhookAuthError)
  })

  it('when the body is not JSON, throws WebhookPayloadError', async () => {
    const req = signedRobotRequest('{"msgtype":"text",', APP.appSecret, NOW.getTime())

    await expect(adapter.receive(req)).rejects.toBeInstanceOf(WebhookPayloadError)
  })

  it('when the JSON is not a robot callback, throws WebhookPayloadError', async () => {
    const req = signedRobotRequest({ msgtype: 'text', text: 'hi' }, APP.appSecret, NOW.getTime())

    await expect(adapter.receive(req)).rejects.toBeInstanceOf(WebhookPayloadError)
  })

  it('when the msgtype is picture, returns undefined', async () => {
    await expect(adapter.receive(callback('picture'))).resolves.toBeUndefined()
  })
})

describe('DingtalkAdapter.receive with a captured sign pair (gh-10)', () => {
  it('when the pair comes back with another msgId and body, throws WebhookAuthError', async () => {
    const first = callback('text-single')
    await adapter.receive(first)
    const replay = signedRobotRequest(
      robotCallback('text-single', {
        msgId: 'msgFORGED',
        text: { content: '设置角色 dingtalk:x 管理员' },
      }),
      APP.appSecret,
      NOW.getTime(),
    )

    const error = await adapter.receive(replay).catch((err: unknown) => err)

    expect(replay.headers.sign).toBe(first.headers.sign)
    expect(error).toBeInstanceOf(WebhookAuthError)
    expect(error).toHaveProperty('message', expect.stringContaining('already used'))
  })

  it('when DingTalk redelivers the same msgId with the same pair, returns the message again', async () => {
    const first = await received(callback('text-single'))

    const again = await received(callback('text-single'))

    expect(again.messageId).toBe(first.messageId)
  })

  it('when a pair is remembered, it is forgotten when its timestamp leaves the hour', async () => {
    const req = callback('text-single')
    now = new Date(NOW.getTime() + 20 * 60_000)

    await adapter.receive(req)
    const key = redis.keys.dingtalkSignUse(req.headers.timestamp!, req.headers.sign!)
    const ttl = await redis.redis.pttl(key)

    expect(ttl).toBeGreaterThan(39 * 60_000)
    expect(ttl).toBeLessThanOrEqual(40 * 60_000 + 1000)
  })

  it('when Redis cannot be reached, throws StoreUnavailableError (503) and returns nothing', async () => {
    const down = await connectRedis(TEST_REDIS_URL, 'request')
    down.disconnect()
    const config: DingtalkConfig = { ...APP, mode: 'http', apiBase: fake.url, oapiBase: fake.url }
    const log = pino({ level: 'silent' })
    const tokens = new RedisTokenCache(redis.redis, redis.keys)
    const offline = new DingtalkAdapter({
      config,
      client: new DingtalkClient({ config, tokens, log }),
      log,
      now: () => now,
      signs: new RedisSignLedger(down, redis.keys),
    })

    await expect(offline.receive(callback('text-single'))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    )
  })
})

describe('DingtalkAdapter.respond', () => {
  it('when the sessionWebhook is valid, answers 200 {} and the reply arrives there', async () => {
    const msg = await received(callback('text-single'))

    const answer = await adapter.respond(msg, [{ text: '可用命令：走访、统计' }])
    const push = await fake.waitFor((r) => r.kind === 'session')

    expect(answer).toEqual({ status: 200, contentType: 'application/json', body: '{}' })
    expect(push).toEqual({
      kind: 'session',
      session: 'text-single',
      body: { msgtype: 'text', text: { content: '可用命令：走访、统计' } },
    })
  })

  it('when the message came from a group, the text reply @-mentions the sender', async () => {
    const msg = await received(callback('text-group'))

    await adapter.respond(msg, [{ text: '本村已走访 12 户' }])
    const push = await fake.waitFor((r) => r.kind === 'session')

    expect(push.body).toEqual({
      msgtype: 'text',
      text: { content: '本村已走访 12 户' },
      at: { atUserIds: ['0123456789'] },
    })
  })

  it('when the reply has rows, sends msgtype markdown (a list, no table) with a title of at most 20 characters', async () => {
    const msg = await received(callback('text-single'))
    const reply = replyOf('2027年八一走访统计表（铁炉嘴村全体优抚对象）', [
      { caption: '各村：', rows: [{ name: '铁炉嘴村', cells: ['12 户'] }] },
    ])

    await adapter.respond(msg, [reply])
    const push = await fake.waitFor((r) => r.kind === 'session')

    expect(push.body).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '2027年八一走访统计表（铁炉嘴村全体优',
        text: '**2027年八一走访统计表（铁炉嘴村全体优抚对象）**\n\n各村：\n\n- **铁炉嘴村** 12 户',
      },
    })
  })

  it('when there are several replies, they arrive in order', async () => {
    const msg = await received(callback('text-single'))

    await adapter.respond(msg, [{ text: '一' }, { text: '二' }, { text: '三' }])
    await adapter.pending()

    expect(fake.received.filter((r) => r.kind === 'session').map((r) => r.body.text)).toEqual([
      { content: '一' },
      { content: '二' },
      { content: '三' },
    ])
  })

  it('when the sessionWebhook is on a foreign origin, never calls it and sends through the OpenAPI', async () => {
    const evil = 'https://evil.example.com/robot/sendBySession?session=steal'
    const msg = await received(callback('text-single', { sessionWebhook: evil }))

    await adapter.respond(msg, [{ text: '你好' }])
    const push = await fake.waitFor((r) => r.kind === 'batchSend')
    await adapter.pending()

    expect(push).toMatchObject({ userIds: ['0987654321'], msgParam: { content: '你好' } })
    expect(fetchedUrls.some((u) => u.includes('evil.example.com'))).toBe(false)
    expect(fake.received.some((r) => r.kind === 'session')).toBe(false)
  })

  it('when the sessionWebhook has expired, sends a group reply through groupMessages/send', async () => {
    const msg = await received(callback('text-group'))
    now = new Date(EXPIRED)

    await adapter.respond(msg, [{ text: '你好' }])
    const push = await fake.waitFor((r) => r.kind === 'groupSend')

    expect(push).toMatchObject({
      openConversationId: 'cidZ3pZ5nBvYWVX8q0Qx8m6Jw==',
      msgKey: 'sampleText',
      msgParam: { content: '你好' },
    })
    expect(fake.received.some((r) => r.kind === 'session')).toBe(false)
  })

  it('when the sessionWebhook refuses the reply, sends it through the OpenAPI instead', async () => {
    const msg = await received(callback('text-single'))
    fake.failNext(1, {
      status: 200,
      code: 300001,
      message: 'session过期',
      path: '/robot/sendBySession',
    })

    await adapter.respond(msg, [{ text: '你好' }])
    const push = await fake.waitFor((r) => r.kind === 'batchSend')

    expect(push).toMatchObject({ userIds: ['0987654321'] })
  })

  it('when every way fails, logs the error with the message id and pending() still resolves', async () => {
    const msg = await received(callback('text-single'))
    now = new Date(EXPIRED)
    fake.failNext(1, { status: 400, code: 'invalidParameter.robotCode.empty', path: '/v1.0/robot' })

    await adapter.respond(msg, [{ text: '你好' }])
    await adapter.pending()

    expect(logged).toContainEqual(
      expect.objectContaining({ msg: 'dingtalk reply push failed', messageId: msg.messageId }),
    )
  })
})

describe('DingtalkAdapter.send', () => {
  it('when the chat is a single chat, sends to the user through batchSend', async () => {
    await adapter.send(
      { platform: 'dingtalk', chatId: '0987654321', isGroup: false },
      { text: '提醒' },
    )

    expect(fake.received.at(-1)).toMatchObject({ kind: 'batchSend', userIds: ['0987654321'] })
  })

  it('when the chat is a group, sends to the conversation through groupMessages/send', async () => {
    await adapter.send({ platform: 'dingtalk', chatId: 'cid1', isGroup: true }, { text: '提醒' })

    expect(fake.received.at(-1)).toMatchObject({ kind: 'groupSend', openConversationId: 'cid1' })
  })

  it('acknowledge() answers 200 with an empty JSON object', () => {
    expect(adapter.acknowledge()).toEqual({
      status: 200,
      contentType: 'application/json',
      body: '{}',
    })
  })
})
