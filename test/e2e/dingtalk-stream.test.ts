import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createBot, type Bot } from '../../src/compose.js'
import { loadConfig } from '../../src/config.js'
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/embedded-redis.js'
import { createSilentLogger } from '../../src/log.js'
import { Keys } from '../../src/records/keys.js'
import { connectRedis, type RedisClient } from '../../src/records/redis.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { DINGTALK_TEST_APP } from '../support/drivers.js'
import { robotCallback, startFakeDingtalk, type FakeDingtalk } from '../support/fake-dingtalk.js'

const NOW = new Date('2026-07-28T02:00:00Z')
const now = () => NOW

function envFor(fake: FakeDingtalk, secret = DINGTALK_TEST_APP.appSecret) {
  return {
    DINGTALK_APP_KEY: DINGTALK_TEST_APP.appKey,
    DINGTALK_APP_SECRET: secret,
    DINGTALK_API_BASE: fake.url,
    DINGTALK_OAPI_BASE: fake.url,
    DINGTALK_MODE: 'stream',
    ADMIN_USERS: 'dingtalk:admin',
  }
}

/** A single-chat robot message from `user` replying to session `session` on the fake. */
function message(fake: FakeDingtalk, user: string, text: string, msgId: string, session: string) {
  return robotCallback('text-single', {
    text: { content: text },
    msgId,
    senderStaffId: user,
    createAt: NOW.getTime(),
    sessionWebhook: fake.sessionWebhookUrl(session),
    sessionWebhookExpiredTime: NOW.getTime() + 90 * 60_000,
  })
}

const repliesTo = (fake: FakeDingtalk, session: string) =>
  fake.received.flatMap((r) =>
    r.kind === 'session' && r.session === session
      ? [String((r.body.text as { content?: string } | undefined)?.content)]
      : [],
  )

describe('DingTalk Stream mode', () => {
  let fake: FakeDingtalk
  let t: TestBot

  beforeEach(async () => {
    fake = await startFakeDingtalk({ ...DINGTALK_TEST_APP, robotCode: DINGTALK_TEST_APP.appKey })
  })
  afterEach(async () => {
    await t?.cleanup()
    await fake.close()
  })

  const gauge = async () =>
    (await t.bot.metrics.registry.metrics())
      .split('\n')
      .filter((l) => l.startsWith('bot_dingtalk_stream'))
      .join('\n')

  async function connectedBot(timing = { reconnectDelayMs: 10, keepAliveMs: 60_000 }) {
    t = await createTestBot(envFor(fake), { now, dingtalkStreamTiming: timing })
    t.bot.dingtalkStream!.start()
    await fake.stream.waitForOpened(1)
  }

  it('when a robot message arrives on the socket, stores it, acks it and replies by sessionWebhook', async () => {
    await connectedBot()

    const id = fake.stream.pushRobotMessage(
      message(fake, 'admin', '设置角色 dingtalk:lisi 领导', 'm1', 's1'),
    )
    const ack = await fake.stream.waitForAnswer(id)
    await t.bot.settle()

    expect(ack).toMatchObject({ code: 200, messageId: id, data: { response: null } })
    expect(await t.bot.services.roles.get('dingtalk:lisi')).toMatchObject({ role: 'leader' })
    expect(repliesTo(fake, 's1')).toEqual(['已设置 dingtalk:lisi 为领导。'])
  })

  it('when the gateway resends a frame with the same msgId, stores once and acks both', async () => {
    await connectedBot()
    await t.bot.services.villages.addVillage('铁炉嘴村', {
      actor: 'dingtalk:admin',
      at: NOW,
      idempotencyKey: 'v',
    })
    const text = '添加对象 张三 铁炉嘴村 残疾军人'

    const first = fake.stream.pushRobotMessage(message(fake, 'admin', text, 'm2', 's2'))
    await fake.stream.waitForAnswer(first)
    const again = fake.stream.pushRobotMessage(message(fake, 'admin', text, 'm2', 's2b'))
    const secondAck = await fake.stream.waitForAnswer(again)
    await t.bot.settle()

    expect(secondAck.code).toBe(200)
    expect(await t.bot.services.people.findPeopleByName('张三')).toHaveLength(1)
    expect(repliesTo(fake, 's2b')).toEqual([])
  })

  it('when the gateway pings, echoes the ping with its data', async () => {
    await connectedBot()

    const echo = await fake.stream.waitForAnswer(fake.stream.ping('opaque-1'))

    expect(echo).toMatchObject({ code: 200, data: { opaque: 'opaque-1' } })
  })

  it('when the gateway asks to reconnect, opens a new socket and keeps handling messages', async () => {
    await connectedBot()

    fake.stream.askToReconnect()
    await fake.stream.waitForOpened(2)
    const id = fake.stream.pushRobotMessage(message(fake, 'admin', '帮助', 'm3', 's3'))

    expect((await fake.stream.waitForAnswer(id)).code).toBe(200)
    expect(fake.stream.open).toBe(1)
  })

  it('when the socket drops without a close frame, reconnects with a fresh ticket', async () => {
    await connectedBot()

    fake.stream.drop()
    await fake.stream.waitForOpened(2)
    await vi.waitFor(async () => expect(await gauge()).toContain('connected 1'), {
      timeout: 2000,
      interval: 10,
    })

    const opens = fake.requests.filter((r) => r.path === '/v1.0/gateway/connections/open')
    expect(opens.map((r) => r.status)).toEqual([200, 200])
    expect(await gauge()).toContain('bot_dingtalk_stream_reconnects_total 1')
  })

  it('when the bot stops, the connected gauge goes to 0', async () => {
    await connectedBot()
    await vi.waitFor(async () => expect(await gauge()).toContain('connected 1'), {
      timeout: 2000,
      interval: 10,
    })

    await t.bot.dingtalkStream!.stop()

    expect(await gauge()).toContain('bot_dingtalk_stream_connected 0')
  })

  it('when the gateway stops answering pings, drops the zombie socket and reconnects', async () => {
    await connectedBot({ reconnectDelayMs: 10, keepAliveMs: 50 })
    const zombie = fake.stream.connections[0]!

    // Only this socket goes quiet; the gateway answers on the next one.
    fake.stream.mute()
    await fake.stream.waitFor(
      () => zombie.closed !== undefined,
      'the muted socket to close',
      10_000,
    )
    await fake.stream.waitFor(
      () => (fake.stream.connections[1]?.pongs ?? 0) >= 1,
      'a ping answered on a second socket',
      10_000,
    )

    // Pinged, never answered, then cut by the bot without a close handshake (1006).
    expect(zombie.pings).toBeGreaterThanOrEqual(1)
    expect(zombie.pongs).toBe(0)
    expect(zombie.closed).toEqual({ code: 1006, by: 'client' })
    // The new socket is kept alive the same way, and the bot counted the reconnect.
    expect(fake.stream.connections[1]!.pings).toBeGreaterThanOrEqual(1)
    const reconnects = Number(/bot_dingtalk_stream_reconnects_total (\d+)/.exec(await gauge())?.[1])
    expect(reconnects).toBeGreaterThanOrEqual(1)
  })

  it('when a frame is not JSON or its data is not a robot message, acks what it can and goes on', async () => {
    await connectedBot()

    fake.stream.sendRaw('not json at all')
    const notRobot = fake.stream.pushRobotMessage({ hello: 'world' })
    const ok = fake.stream.pushRobotMessage(message(fake, 'admin', '帮助', 'm4', 's4'))

    expect((await fake.stream.waitForAnswer(notRobot)).code).toBe(200)
    expect((await fake.stream.waitForAnswer(ok)).code).toBe(200)
  })

  it('acknowledges events and callbacks of topics it does not handle, so they are not resent', async () => {
    await connectedBot()
    const frame = (type: string, messageId: string, topic: string) =>
      JSON.stringify({ type, headers: { messageId, topic }, data: '{}' })

    fake.stream.sendRaw(frame('EVENT', 'ev-1', 'chat_update_title'))
    fake.stream.sendRaw(frame('CALLBACK', 'cb-1', '/v1.0/card/instances/callback'))

    expect(await fake.stream.waitForAnswer('ev-1')).toMatchObject({
      code: 200,
      data: { status: 'SUCCESS' },
    })
    expect(await fake.stream.waitForAnswer('cb-1')).toMatchObject({ code: 200 })
  })

  it('when the secret is wrong, keeps retrying with backoff and never opens a socket', async () => {
    t = await createTestBot(envFor(fake, 'wrong-secret'), {
      now,
      dingtalkStreamTiming: { reconnectDelayMs: 5, keepAliveMs: 60_000 },
    })
    t.bot.dingtalkStream!.start()

    await vi.waitFor(
      () =>
        expect(
          fake.requests.filter((r) => r.path === '/v1.0/gateway/connections/open').length,
        ).toBeGreaterThanOrEqual(3),
      { timeout: 5000, interval: 10 },
    )

    expect(fake.stream.opened).toBe(0)
    expect(fake.requests.every((r) => r.status === 401)).toBe(true)
  })
})

describe('DingTalk Stream mode while Redis is down', () => {
  const log = createSilentLogger()
  let dataDir: string
  let server: EmbeddedRedis | undefined
  let redis: RedisClient | undefined
  let fake: FakeDingtalk
  let bot: Bot | undefined

  afterEach(async () => {
    await bot?.dingtalkStream?.stop()
    redis?.disconnect()
    await server?.stop()
    await fake.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('leaves the frame unacknowledged so DingTalk resends it, and stores the resend once back', async () => {
    fake = await startFakeDingtalk({ ...DINGTALK_TEST_APP, robotCode: DINGTALK_TEST_APP.appKey })
    dataDir = mkdtempSync(join(tmpdir(), 'sy-'))
    server = await startEmbeddedRedis({ dataDir, log })
    redis = await connectRedis(server.url, 'request')
    bot = createBot({
      config: loadConfig(envFor(fake)),
      redis,
      keys: new Keys(),
      secretKey: 'test-secret-key-0123456789abcdef0123456789',
      log,
      now,
    })
    bot.dingtalkStream!.start()
    await fake.stream.waitForOpened(1)
    const frame = message(fake, 'admin', '设置角色 dingtalk:lisi 领导', 'm-down', 's-down')

    await server.stop()
    const unanswered = fake.stream.pushRobotMessage(frame)
    server = await startEmbeddedRedis({ dataDir, log })
    await new Promise<void>((resolve) =>
      redis!.status === 'ready' ? resolve() : redis!.once('ready', resolve),
    )
    // The resend names another session: its reply there shows the resend did the work.
    const resent = fake.stream.pushRobotMessage({
      ...frame,
      sessionWebhook: fake.sessionWebhookUrl('s-resent'),
    })
    await fake.stream.waitForAnswer(resent)
    await bot.settle()

    expect(fake.stream.answers.map((a) => a.messageId)).not.toContain(unanswered)
    expect(repliesTo(fake, 's-down')).toEqual([])
    expect(repliesTo(fake, 's-resent')).toEqual(['已设置 dingtalk:lisi 为领导。'])
  })
})
