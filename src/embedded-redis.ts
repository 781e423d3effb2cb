import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import type { Logger } from './log.js'

export interface EmbeddedRedis {
  /** `unix:///…/redis.sock` or `redis://127.0.0.1:<port>`. */
  url: string
  /** Whether this process started the server (false = a still-running one was reused). */
  started: boolean
  /** Saves and stops the server if this process started it. */
  stop(): Promise<void>
}

export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      'redis-server was not found on PATH: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to an existing Redis.',
    )
    this.name = 'RedisNotInstalledError'
  }
}

// sun_path is 108 bytes on Linux (104 on macOS); past that, listen on a loopback port instead.
const MAX_SOCKET_PATH = 100
const MAX_RESTARTS = 5

/**
 * Starts (or reuses) the bot's own redis-server with its data under `<dataDir>/redis`:
 * AOF on with `appendfsync always`, because an acknowledged record must survive a crash
 * of the machine, not only of the bot. A server left running by a bot that was killed
 * is found through its socket and reused. The child is restarted if it dies.
 */
export async function startEmbeddedRedis(options: {
  dataDir: string
  log: Logger
  /** @defaultValue 'redis-server' */
  binary?: string
}): Promise<EmbeddedRedis> {
  const dir = resolve(options.dataDir, 'redis')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const log = options.log.child({ logger: 'bot:redis' })
  const socket = join(dir, 'redis.sock')
  const useSocket = socket.length <= MAX_SOCKET_PATH

  if (useSocket && (await answers({ path: socket }))) {
    log.info({ socket }, 'reusing the embedded redis-server that is already running')
    return { url: `unix://${socket}`, started: false, stop: async () => {} }
  }

  const port = useSocket ? 0 : await freePort()
  const args = [
    '--dir',
    dir,
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    'redis.log',
    '--protected-mode',
    'yes',
    ...(useSocket ? ['--unixsocket', socket, '--unixsocketperm', '700'] : []),
  ]
  const url = useSocket ? `unix://${socket}` : `redis://127.0.0.1:${port}`
  const target = useSocket ? { path: socket } : { port }

  let stopping = false
  let restarts = 0
  let child = await launch(options.binary ?? 'redis-server', args, target)
  const watch = (proc: ChildProcess) => {
    proc.once('exit', (code, signal) => {
      if (stopping) return
      log.error({ code, signal }, 'embedded redis-server exited unexpectedly')
      if (restarts++ >= MAX_RESTARTS) {
        log.fatal('embedded redis-server keeps exiting; see data/redis/redis.log')
        return
      }
      launch(options.binary ?? 'redis-server', args, target)
        .then((next) => {
          child = next
          watch(next)
          log.warn({ restarts }, 'embedded redis-server restarted')
        })
        .catch((err: unknown) => log.fatal({ err }, 'could not restart the embedded redis-server'))
    })
  }
  watch(child)
  log.info({ url, dir }, 'embedded redis-server started (appendonly yes, appendfsync always)')

  return {
    url,
    started: true,
    async stop() {
      stopping = true
      if (child.exitCode !== null) return
      const exited = new Promise<void>((done) => child.once('exit', () => done()))
      // SIGTERM makes redis-server flush the AOF and exit cleanly.
      child.kill('SIGTERM')
      await exited
    },
  }
}

async function launch(
  binary: string,
  args: string[],
  target: { path: string } | { port: number },
): Promise<ChildProcess> {
  // Its own process group: a Ctrl-C in the terminal reaches the bot, which then saves and
  // stops Redis in order, instead of both dying at once.
  const child = spawn(binary, args, { stdio: 'ignore', detached: true })
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new RedisNotInstalledError() : err),
    )
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited with code ${code} at start; see its redis.log`)),
    )
  })
  // After a successful start the exit listener still fires one day; nobody awaits it then.
  failed.catch(() => {})
  const deadline = performance.now() + 10_000
  while (performance.now() < deadline) {
    const up = await Promise.race([answers(target), failed])
    if (up) return child
    await new Promise((r) => setTimeout(r, 50))
  }
  child.kill('SIGKILL')
  throw new Error('redis-server did not answer within 10 s; see its redis.log')
}

async function answers(target: { path: string } | { port: number }): Promise<boolean> {
  const client = new Redis(
    Object.assign({}, target, {
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 500,
    }),
  )
  client.on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0))
    })
  })
}
