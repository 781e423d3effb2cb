import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/embedded-redis.js'
import { StoreUnavailableError } from '../../src/errors.js'
import { createSilentLogger } from '../../src/log.js'
import { IOREDIS_OUTAGE_MESSAGES, connectRedis, type RedisClient } from '../../src/records/redis.js'
import { startFakeClusterNode, type FakeClusterNode } from '../support/fake-cluster-node.js'
import { TEST_REDIS_URL } from '../support/redis.js'

/** The rejection of `work`, which must reject. */
async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.fail('expected a rejection'),
    (err: unknown) => err,
  )
}

describe('the request-path Redis client', () => {
  const log = createSilentLogger()
  let dataDir: string | undefined
  let server: EmbeddedRedis | undefined
  let node: FakeClusterNode | undefined
  const clients: (RedisClient | Redis)[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect()
    await server?.stop()
    server = undefined
    await node?.close()
    node = undefined
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    dataDir = undefined
  })

  async function embedded(): Promise<{ server: EmbeddedRedis; redis: RedisClient }> {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-'))
    server = await startEmbeddedRedis({ dataDir, log })
    const redis = await connectRedis(server.url, 'request')
    clients.push(redis)
    return { server, redis }
  }

  async function cluster(reply: Parameters<typeof startFakeClusterNode>[0]): Promise<RedisClient> {
    node = await startFakeClusterNode(reply)
    const redis = await connectRedis(node.url, 'request')
    clients.push(redis)
    return redis
  }

  it('when Redis has stopped, rejects with StoreUnavailableError carrying ioredis’ error', async () => {
    const { server, redis } = await embedded()
    await server.stop()

    const err = await rejectionOf(redis.get('k'))

    expect(err).toBeInstanceOf(StoreUnavailableError)
    expect((err as Error).cause).toBeInstanceOf(Error)
  })

  it('when Redis does not answer within the command timeout, rejects with StoreUnavailableError', async () => {
    const { server, redis } = await embedded()
    // A second connection, BullMQ's profile, which the pause holds as it holds every client.
    const pauser = await connectRedis(server.url, 'bullmq')
    clients.push(pauser)
    await pauser.call('CLIENT', 'PAUSE', '6000', 'ALL')

    const err = await rejectionOf(redis.set('k', '1'))

    expect(err).toBeInstanceOf(StoreUnavailableError)
    expect(((err as Error).cause as Error).message).toBe('Command timed out')
  })

  it('when the cluster answers CLUSTERDOWN past ioredis’ redirections, rejects with StoreUnavailableError (issue 10)', async () => {
    const redis = await cluster(() => '-CLUSTERDOWN The cluster is down')

    const err = await rejectionOf(redis.set('k', '1'))

    expect(err).toBeInstanceOf(StoreUnavailableError)
  })

  it('when a command outside the auto-pipeline meets Too many Cluster redirections, rejects with StoreUnavailableError', async () => {
    const redis = await cluster(() => '-TRYAGAIN Multiple keys request during rehashing of slot')

    const err = await rejectionOf(redis.client('ID'))

    expect(err).toBeInstanceOf(StoreUnavailableError)
    expect(((err as Error).cause as Error).message).toMatch(/^Too many Cluster redirections/)
  })

  it('when every MOVED points back at the same node, rejects with StoreUnavailableError', async () => {
    const redis = await cluster((_, { port }) => `-MOVED 12539 127.0.0.1:${port}`)

    const err = await rejectionOf(redis.get('k'))

    expect(err).toBeInstanceOf(StoreUnavailableError)
  })

  it.each([
    ['-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no'],
    ['-LOADING Redis is loading the dataset in memory'],
    ["-READONLY You can't write against a read only replica."],
  ])('when a node answers %s, rejects with StoreUnavailableError', async (line) => {
    const redis = await cluster(() => line)

    const err = await rejectionOf(redis.set('k', '1'))

    expect(err).toBeInstanceOf(StoreUnavailableError)
  })

  it('when a command is wrong, rejects with Redis’ own reply error, not StoreUnavailableError', async () => {
    const redis = await connectRedis(TEST_REDIS_URL, 'request')
    clients.push(redis)

    const err = await rejectionOf(redis.call('NO-SUCH-COMMAND'))

    expect(err).not.toBeInstanceOf(StoreUnavailableError)
    expect((err as Error).message).toMatch(/^ERR unknown command/)
  })

  it('when a script fails, rejects with the script’s error, not StoreUnavailableError', async () => {
    const redis = await connectRedis(TEST_REDIS_URL, 'request')
    clients.push(redis)

    const err = await rejectionOf(redis.eval("return redis.error_reply('BOOM no')", 0))

    expect(err).not.toBeInstanceOf(StoreUnavailableError)
  })

  it('still answers as the client it wraps: values, chaining, instanceof', async () => {
    const redis = await connectRedis(TEST_REDIS_URL, 'request')
    clients.push(redis)

    const pong = await redis.ping()
    const results = await redis.multi().ping().echo('x').exec()

    expect(pong).toBe('PONG')
    expect(results).toEqual([
      [null, 'PONG'],
      [null, 'x'],
    ])
    expect(redis).toBeInstanceOf(Redis)
    expect(redis.on('error', () => {})).toBe(redis)
  })

  it('the ioredis messages it recognises are still ioredis’ own (a guard for upgrades)', () => {
    const require = createRequire(import.meta.url)
    const built = dirname(require.resolve('ioredis'))
    const source = readdirSync(built, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(built, file), 'utf8'))
      .join('\n')

    const missing = IOREDIS_OUTAGE_MESSAGES.filter((message) => !source.includes(message))

    expect(missing).toEqual([])
  })
})
