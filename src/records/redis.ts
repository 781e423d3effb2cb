import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis'
import { StoreUnavailableError } from '../errors.js'

export type RedisClient = Redis | Cluster

/**
 * Why two profiles: the webhook path must fail within WeCom's 5-second deadline (ioredis'
 * default retries take ~73 s), so it gets no offline queue and one retry; BullMQ needs
 * `maxRetriesPerRequest: null` to block on its queues. The request profile also batches the
 * commands that concurrent webhooks issue in the same tick into one write (auto-pipelining):
 * under load most requests' dedupe, role and form look-ups then share round trips.
 */
export type RedisProfile = 'request' | 'bullmq'

function profileOptions(profile: RedisProfile): RedisOptions {
  return profile === 'request'
    ? {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        connectTimeout: 2000,
        commandTimeout: 3000,
        enableAutoPipelining: true,
      }
    : { maxRetriesPerRequest: null, enableOfflineQueue: true }
}

/**
 * Connects to `url`: `redis://`, `rediss://`, `unix:///path/to/sock` or a cluster list
 * `redis-cluster://h1:p1,h2:p2`. Resolves once the connection is ready.
 */
export async function connectRedis(url: string, profile: RedisProfile): Promise<RedisClient> {
  const options = profileOptions(profile)
  let client: RedisClient
  if (url.startsWith('redis-cluster://')) {
    const nodes = url
      .slice('redis-cluster://'.length)
      .split(',')
      .map((hostPort) => {
        const [host, port] = hostPort.split(':')
        return { host: host ?? '127.0.0.1', port: Number(port ?? 6379) }
      })
    const clusterOptions: ClusterOptions = {
      redisOptions: options,
      enableOfflineQueue: options.enableOfflineQueue ?? true,
    }
    client = new Cluster(nodes, { ...clusterOptions, lazyConnect: true })
  } else if (url.startsWith('unix://')) {
    client = new Redis({ ...options, path: url.slice('unix://'.length), lazyConnect: true })
  } else {
    client = new Redis(url, { ...options, lazyConnect: true })
  }
  // Errors surface on commands; without a listener ioredis would print every reconnect attempt.
  client.on('error', () => {})
  await client.connect()
  return client
}

/** True when `err` says Redis could not be reached, as opposed to a bad command or script. */
export function isRedisUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true
  if (!(err instanceof Error)) return false
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Command timed out|LOADING|CLUSTERDOWN/i.test(
      err.message,
    )
  )
}

/** Runs `fn`, turning "Redis is down" failures into StoreUnavailableError (→ HTTP 503). */
export async function withStore<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (isRedisUnavailable(err)) throw new StoreUnavailableError(err)
    throw err
  }
}

/**
 * Whether this Redis keeps data across a restart (AOF on, or RDB `save` points set).
 * The bot is the system of record, so main.ts warns when it does not.
 */
export async function redisPersists(client: RedisClient): Promise<boolean> {
  const node = client instanceof Cluster ? client.nodes('master')[0] : client
  if (!node) return false
  const aof = (await node.config('GET', 'appendonly')) as string[]
  const save = (await node.config('GET', 'save')) as string[]
  return aof[1] === 'yes' || (save[1] ?? '').trim() !== ''
}
