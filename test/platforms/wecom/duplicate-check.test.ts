import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSilentLogger } from '../../../src/log.js'
import { WecomClient } from '../../../src/platforms/wecom/client.js'
import { RedisTokenCache } from '../../../src/records/token-cache.js'
import { startFakeWecom, type FakeWecom } from '../../support/fake-wecom.js'
import { useTestRedis } from '../../support/redis.js'

// gh-10 part 3: reminders ask WeCom to drop a re-send of the same content (message/send's
// enable_duplicate_check); replies never do. docs/delivery-duplicates.md.

const APP = { corpId: 'ww0123456789abcdef', secret: 'app-secret', agentId: 1000002 }

let fake: FakeWecom
let redis: Awaited<ReturnType<typeof useTestRedis>>
let wecomNow = 0

beforeEach(async () => {
  redis = await useTestRedis()
  wecomNow = Date.UTC(2027, 2, 10, 1)
  fake = await startFakeWecom({ ...APP, now: () => wecomNow })
})

afterEach(async () => {
  await fake.close()
  await redis.cleanup()
})

function client(): WecomClient {
  return new WecomClient({
    config: {
      corpId: APP.corpId,
      agentId: APP.agentId,
      secret: APP.secret,
      token: 'token',
      encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
      apiBase: fake.url,
    },
    tokens: new RedisTokenCache(redis.redis, redis.keys),
    log: createSilentLogger(),
    timeoutMs: 2000,
  })
}

const sentBodies = () =>
  fake.received.requests
    .filter((r) => r.path === '/cgi-bin/message/send')
    .map((r) => r.body as Record<string, unknown>)

describe('WecomClient duplicate check', () => {
  it('when a repeat window is given, asks WeCom to check, clamped to its 4 h maximum', async () => {
    await client().sendAppMessage(
      'zhangsan',
      { text: '【提醒 #1】交表' },
      { repeatWindowSeconds: 86_400 },
    )
    await client().sendAppMessage('lisi', { text: '【提醒 #2】交表' }, { repeatWindowSeconds: 0.2 })

    expect(sentBodies()).toEqual([
      expect.objectContaining({ enable_duplicate_check: 1, duplicate_check_interval: 14_400 }),
      expect.objectContaining({ enable_duplicate_check: 1, duplicate_check_interval: 1 }),
    ])
  })

  it('when no repeat window is given (a reply), sends neither field', async () => {
    await client().sendAppMessage('zhangsan', { text: '统计' })
    await client().sendAppMessage('zhangsan', { text: '统计' }, { repeatWindowSeconds: 0 })

    for (const body of sentBodies()) {
      expect(Object.keys(body)).not.toContain('enable_duplicate_check')
      expect(Object.keys(body)).not.toContain('duplicate_check_interval')
    }
    expect(fake.received.messages).toHaveLength(2)
  })

  it('when the same reminder is sent again within the window, WeCom answers ok and delivers it once', async () => {
    const options = { repeatWindowSeconds: 14_400 }
    await client().sendAppMessage('zhangsan', { text: '【提醒 #1】交表' }, options)
    wecomNow += 4 * 3600_000 - 1000

    await client().sendAppMessage('zhangsan', { text: '【提醒 #1】交表' }, options)

    expect(fake.received.messages).toHaveLength(1)
    expect(fake.received.repeatsDropped).toHaveLength(1)
  })

  it('when the same reminder is sent again after the window, WeCom delivers it again', async () => {
    const options = { repeatWindowSeconds: 14_400 }
    await client().sendAppMessage('zhangsan', { text: '【提醒 #1】交表' }, options)
    wecomNow += 4 * 3600_000 + 1000

    await client().sendAppMessage('zhangsan', { text: '【提醒 #1】交表' }, options)

    expect(fake.received.messages).toHaveLength(2)
  })

  it('when the content or the member differs, the check lets it through', async () => {
    const options = { repeatWindowSeconds: 14_400 }
    await client().sendAppMessage('zhangsan', { text: '【提醒 #1】交表' }, options)

    await client().sendAppMessage('zhangsan', { text: '【提醒 #2】交表' }, options)
    await client().sendAppMessage('lisi', { text: '【提醒 #1】交表' }, options)

    expect(fake.received.messages.map((m) => [m.touser, m.content])).toEqual([
      ['zhangsan', '【提醒 #1】交表'],
      ['zhangsan', '【提醒 #2】交表'],
      ['lisi', '【提醒 #1】交表'],
    ])
  })
})
