import {
  Cluster,
  Pipeline,
  Redis,
  ReplyError,
  type ClusterOptions,
  type RedisOptions,
} from 'ioredis'
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
    client = new Cluster(nodes, Object.assign({}, clusterOptions, { lazyConnect: true }))
  } else if (url.startsWith('unix://')) {
    client = new Redis(
      Object.assign({}, options, { path: url.slice('unix://'.length), lazyConnect: true }),
    )
  } else {
    client = new Redis(url, Object.assign({}, options, { lazyConnect: true }))
  }
  // Errors surface on commands; without a listener ioredis would print every reconnect attempt.
  client.on('error', () => {})
  if (profile === 'bullmq') {
    // BullMQ reads ioredis' own errors (and retries on them): it gets the client untouched.
    await client.connect()
    return client
  }
  const request = throwingStoreUnavailable(client)
  await request.connect()
  return request
}

/**
 * Server replies that mean "not now" rather than "wrong command": a cluster failing over or
 * resharding (CLUSTERDOWN, TRYAGAIN, MOVED/ASK left over once ioredis' own redirections ran
 * out), a replica that lost its master or was just demoted (MASTERDOWN, READONLY), a node
 * loading its data set (LOADING), a long script (BUSY), and a store refusing writes until
 * an operator acts (NOREPLICAS, MISCONF, OOM). The code is the reply's first word (RESP).
 */
const OUTAGE_REPLY_CODES = new Set([
  'CLUSTERDOWN',
  'TRYAGAIN',
  'MOVED',
  'ASK',
  'MASTERDOWN',
  'READONLY',
  'LOADING',
  'BUSY',
  'NOREPLICAS',
  'MISCONF',
  'OOM',
])

/** Socket failures, as Node's `err.code`. */
const OUTAGE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/** ioredis' typed client errors: retries exhausted, no node answered CLUSTER SLOTS, aborted. */
const OUTAGE_ERROR_NAMES = new Set([
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
  'AbortError',
])

/**
 * ioredis 6.0.0's client-side errors that say the connection or the cluster is not usable.
 * They are plain `Error`s, so their text is all there is; this list is the one place that
 * reads it (test/records/store-unavailable.test.ts checks each is still in ioredis' source).
 */
export const IOREDIS_OUTAGE_MESSAGES = [
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command timed out',
  'Socket timeout.',
  "Cluster isn't ready and enableOfflineQueue options is false",
  'None of startup nodes is available',
  'Too many Cluster redirections.',
  'Node is disconnected',
  'No master node is available for the pipeline',
  'Connection is discarded because a new connection is made',
] as const

/** Whether an error from ioredis means the store cannot answer now (→ StoreUnavailableError). */
function isOutage(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  if (err instanceof ReplyError) return OUTAGE_REPLY_CODES.has(err.message.split(' ', 1)[0]!)
  if (OUTAGE_ERROR_NAMES.has(err.name)) return true
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && OUTAGE_SOCKET_CODES.has(code)) return true
  return IOREDIS_OUTAGE_MESSAGES.some((m) => err.message.startsWith(m))
}

function reclassify(err: unknown): never {
  throw isOutage(err) && !(err instanceof StoreUnavailableError)
    ? new StoreUnavailableError(err)
    : err
}

/** A plain pipeline resolves with `[error, value]` pairs rather than rejecting. */
function reclassifyResults(results: unknown): unknown {
  if (!Array.isArray(results)) return results
  return results.map((entry: unknown) =>
    Array.isArray(entry) && isOutage(entry[0])
      ? [new StoreUnavailableError(entry[0]), entry[1]]
      : entry,
  )
}

/**
 * The request-path client: `target` itself, except that every promise it returns (commands,
 * scripts, `connect`, a pipeline's or MULTI's `exec`) rejects with StoreUnavailableError
 * where ioredis would reject with an outage error. Classified where the promise leaves
 * ioredis, not per command inside it: Cluster retries MOVED/ASK/TRYAGAIN/CLUSTERDOWN by
 * wrapping each command's reject, and cluster pipelines retry on those raw replies, so an
 * earlier translation would defeat ioredis' own failover handling; and an auto-pipelined
 * command can fail with its pipeline (no slots yet) without its own reject running.
 * Costs one proxy look-up and one `.then` per call.
 */
function throwingStoreUnavailable<T extends object>(target: T): T {
  const wrappers = new Map<PropertyKey, { method: unknown; wrapper: unknown }>()
  const isPipeline = target instanceof Pipeline
  const proxy: T = new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object)
      if (typeof value !== 'function') return value
      const cached = wrappers.get(property)
      if (cached?.method === value) return cached.wrapper
      const reclassifyValue =
        isPipeline && property === 'exec' ? (v: unknown) => reclassifyResults(v) : undefined
      const wrapper = function (this: unknown, ...args: unknown[]): unknown {
        const result: unknown = Reflect.apply(value, this === proxy ? object : this, args)
        if (result === object) return proxy
        if (result instanceof Promise) return result.then(reclassifyValue, reclassify)
        if (result instanceof Pipeline) return throwingStoreUnavailable(result)
        return result
      }
      wrappers.set(property, { method: value, wrapper })
      return wrapper
    },
  })
  return proxy
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

/**
 * @deprecated The request-path client (connectRedis 'request') already throws
 * StoreUnavailableError; call the store directly. An identity kept for code written
 * before that, so it keeps compiling.
 */
export async function withStore<T>(fn: () => Promise<T>): Promise<T> {
  return fn()
}
