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

describe('a webhook while Redis is down', () => {
  const log = createSilentLogger()
  let dataDir: string
  let server: EmbeddedRedis | undefined
  let redis: RedisClient | undefined

  afterEach(async () => {
    redis?.disconnect()
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('answers 503 so the platform redelivers, and handles the redelivery once Redis is back', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-'))
    server = await startEmbeddedRedis({ dataDir, log })
    redis = await connectRedis(server.url, 'request')
    const bot = createBot({
      config: loadConfig({ ADMIN_USERS: 'sandbox:admin' }),
      redis,
      keys: new Keys(),
      secretKey: 'test-secret-key-0123456789abcdef0123456789',
      log,
      now: systemClock,
    })
    const http = supertest(bot.app.callback())
    const message = { user: 'admin', text: '设置角色 sandbox:lisi 领导', id: 'msg-503' }

    await server.stop()
    const down = await http.post('/sandbox/messages').send(message)
    const notReady = await http.get('/readyz')
    server = await startEmbeddedRedis({ dataDir, log })
    await new Promise<void>((resolve) =>
      redis!.status === 'ready' ? resolve() : redis!.once('ready', resolve),
    )
    const redelivered = await http.post('/sandbox/messages').send(message)
    const again = await http.post('/sandbox/messages').send(message)

    expect(down.status).toBe(503)
    expect(notReady.status).toBe(503)
    expect(redelivered.body.replies.map((r: { text: string }) => r.text)).toEqual([
      '已设置 sandbox:lisi 为领导。',
    ])
    expect(again.body.replies).toEqual([])
  })
})
