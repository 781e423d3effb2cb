import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  RedisNotInstalledError,
  startEmbeddedRedis,
  type EmbeddedRedis,
} from '../src/embedded-redis.js'
import { createSilentLogger } from '../src/log.js'
import { connectRedis } from '../src/records/redis.js'

describe('embedded Redis', () => {
  const log = createSilentLogger()
  let dataDir: string
  let running: EmbeddedRedis | undefined

  afterEach(async () => {
    await running?.stop()
    running = undefined
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('when started twice over the same data dir, keeps what was written', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-'))
    running = await startEmbeddedRedis({ dataDir, log })
    const first = await connectRedis(running.url, 'request')
    await first.set('k', 'kept')
    first.disconnect()
    await running.stop()

    running = await startEmbeddedRedis({ dataDir, log })
    const second = await connectRedis(running.url, 'request')
    const value = await second.get('k')
    const aof = (await second.config('GET', 'appendfsync')) as string[]
    second.disconnect()

    expect(running.started).toBe(true)
    expect(value).toBe('kept')
    expect(aof[1]).toBe('always')
  })

  it('when a server is still running on the socket, reuses it', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-'))
    running = await startEmbeddedRedis({ dataDir, log })

    const again = await startEmbeddedRedis({ dataDir, log })

    expect(again.started).toBe(false)
    expect(again.url).toBe(running.url)
  })

  it('when redis-server is not installed, says how to install it or set REDIS_URL', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-'))

    const start = startEmbeddedRedis({ dataDir, log, binary: 'redis-server-that-does-not-exist' })

    await expect(start).rejects.toBeInstanceOf(RedisNotInstalledError)
    await expect(start).rejects.toThrow(/apt-get install redis-server.*REDIS_URL/)
  })
})
