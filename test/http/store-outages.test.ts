import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import supertest from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { createBot } from '../../src/compose.js'
import { loadConfig } from '../../src/config.js'
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/embedded-redis.js'
import { createSilentLogger } from '../../src/log.js'
import { Keys } from '../../src/records/keys.js'
import { connectRedis, type RedisClient } from '../../src/records/redis.js'
import { systemClock } from '../../src/time/clock.js'
import { TEST_SECRET_KEY } from '../support/bot.js'
import { WECOM_TEST_ENV } from '../support/drivers.js'
import { startFakeClusterNode, type FakeClusterNode } from '../support/fake-cluster-node.js'
import { sealWecomCallback } from '../support/fake-wecom.js'

const log = createSilentLogger()

/** The bot on `redis`: the sandbox only, or WeCom only (the sandbox is off with a platform). */
function botOn(redis: RedisClient, platform: 'sandbox' | 'wecom' = 'sandbox') {
  const env = platform === 'wecom' ? { ...WECOM_TEST_ENV, ADMIN_USERS: 'wecom:zhangsan' } : {}
  const bot = createBot({
    config: loadConfig({ ADMIN_USERS: 'sandbox:admin', ...env }),
    redis,
    keys: new Keys(),
    secretKey: TEST_SECRET_KEY,
    log,
    now: systemClock,
  })
  return supertest(bot.app.callback())
}

/** A WeCom text message from `user`, sealed as WeCom seals a callback. */
function wecomCallback(user: string, text: string, msgId: string) {
  const createTime = String(Math.floor(Date.now() / 1000))
  const inner = `<xml><ToUserName><![CDATA[${WECOM_TEST_ENV.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`
  return sealWecomCallback(
    {
      token: WECOM_TEST_ENV.WECOM_TOKEN,
      encodingAesKey: WECOM_TEST_ENV.WECOM_ENCODING_AES_KEY,
      corpId: WECOM_TEST_ENV.WECOM_CORP_ID,
    },
    inner,
    { timestamp: createTime },
  )
}

describe('a webhook while the store cannot answer (issue 10)', () => {
  let node: FakeClusterNode | undefined
  let dataDir: string | undefined
  let server: EmbeddedRedis | undefined
  const clients: RedisClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect()
    await node?.close()
    node = undefined
    await server?.stop()
    server = undefined
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    dataDir = undefined
  })

  async function clusterBot(
    reply: Parameters<typeof startFakeClusterNode>[0],
    platform: 'sandbox' | 'wecom' = 'sandbox',
  ) {
    node = await startFakeClusterNode(reply)
    const redis = await connectRedis(node.url, 'request')
    clients.push(redis)
    return botOn(redis, platform)
  }

  it('when the cluster is down (CLUSTERDOWN), the WeCom webhook answers 503, not 500', async () => {
    const http = await clusterBot(() => '-CLUSTERDOWN The cluster is down', 'wecom')
    const req = wecomCallback('zhangsan', '帮助', '5000000000000000001')

    const res = await http
      .post('/webhooks/wecom')
      .query(req.query as Record<string, string>)
      .set('content-type', 'text/xml')
      .send(req.rawBody.toString('utf8'))

    expect(res.status).toBe(503)
  })

  it('when a slot is being migrated (TRYAGAIN), the sandbox webhook answers 503', async () => {
    const http = await clusterBot(() => '-TRYAGAIN Multiple keys request during rehashing of slot')

    const res = await http.post('/sandbox/messages').send({ user: 'admin', text: '帮助' })

    expect(res.status).toBe(503)
  })

  it('when the redirections never end (MOVED to the same node), the sandbox webhook answers 503', async () => {
    const http = await clusterBot((_, { port }) => `-MOVED 866 127.0.0.1:${port}`)

    const res = await http.post('/sandbox/messages').send({ user: 'admin', text: '帮助' })

    expect(res.status).toBe(503)
  })

  it('when Redis is too slow to answer, answers 503 and handles the redelivery once it answers', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-'))
    server = await startEmbeddedRedis({ dataDir, log })
    const redis = await connectRedis(server.url, 'request')
    const pauser = await connectRedis(server.url, 'bullmq')
    clients.push(redis, pauser)
    const http = botOn(redis)
    const message = { user: 'admin', text: '设置角色 sandbox:lisi 领导', id: 'msg-slow' }
    // Longer than the request client's 3-second command timeout: the claim, sent before the
    // timeout, and its release, sent after, both run once the pause ends, in that order.
    await pauser.call('CLIENT', 'PAUSE', '4000', 'ALL')

    const slow = await http.post('/sandbox/messages').send(message)
    const redelivered = await http.post('/sandbox/messages').send(message)

    expect(slow.status).toBe(503)
    expect(redelivered.status).toBe(200)
    expect(redelivered.body.replies.map((r: { text: string }) => r.text)).toEqual([
      '已设置 sandbox:lisi 为领导。',
    ])
  })
})
