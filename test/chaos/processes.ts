import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'

/**
 * The processes a chaos run owns: one redis-server and the bot's web and worker processes.
 * Each is started in its own process group, so a signal meant for it reaches its children
 * (tsx runs the bot in a child of its own) and nothing else on the machine.
 */

/** Every child still alive, so an exit (normal, error or Ctrl-C) kills exactly these. */
const owned = new Set<ChildProcess>()

export function killOwned(): void {
  for (const child of owned) signalGroup(child, 'SIGKILL')
}

/** SIGKILL to every owned process, resolved once they are gone (at most `timeoutMs`). */
export async function killOwnedAndWait(timeoutMs: number): Promise<void> {
  const children = [...owned]
  killOwned()
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    Promise.all(children.map(exited)),
    new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ])
  clearTimeout(timer)
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

function track(child: ChildProcess): ChildProcess {
  owned.add(child)
  child.once('exit', () => owned.delete(child))
  return child
}

/** Resolves when `check` holds, polling every 100 ms; rejects after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    if (await check()) return
    if (performance.now() > deadline) throw new Error(`chaos: ${what} not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A redis-server that fsyncs every write (appendfsync always), as the contract's embedded one. */
export class RedisServer {
  private child: ChildProcess | undefined

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  get pid(): number {
    return this.child!.pid!
  }

  async start(): Promise<void> {
    const log = createWriteStream(join(this.dir, 'redis.log'), { flags: 'a' })
    const child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--protected-mode',
        'yes',
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    pipeTo(child, log)
    this.child = track(child)
    await until('redis-server answering PING', () => this.answers(), 10_000)
  }

  /** SIGSTOP: the process stays, its sockets accept, nothing answers. */
  freeze(): void {
    process.kill(this.pid, 'SIGSTOP')
  }

  thaw(): void {
    process.kill(this.pid, 'SIGCONT')
  }

  async kill(): Promise<void> {
    const child = this.child!
    signalGroup(child, 'SIGKILL')
    await exited(child)
  }

  async stop(): Promise<void> {
    if (!this.child) return
    this.thaw()
    signalGroup(this.child, 'SIGTERM')
    await exited(this.child)
  }

  private async answers(): Promise<boolean> {
    const probe = new Redis(this.port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    })
    probe.on('error', () => undefined)
    try {
      await probe.connect()
      return (await probe.ping()) === 'PONG'
    } catch {
      return false
    } finally {
      probe.disconnect()
    }
  }
}

export type BotRole = 'web' | 'worker'

/** One `tsx src/main.ts --role <role>` process, as `npm start -- --role <role>` runs it. */
export class BotProcess {
  private child: ChildProcess | undefined
  private readonly log: WriteStream

  constructor(
    readonly role: BotRole,
    private readonly env: Record<string, string>,
    logDir: string,
  ) {
    this.log = createWriteStream(join(logDir, `bot-${role}.log`), { flags: 'a' })
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', this.role], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', ...this.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = track(child)
    const ready = this.role === 'web' ? 'listening on' : 'workers running'
    await new Promise<void>((resolve, reject) => {
      let seen = ''
      const onData = (chunk: Buffer) => {
        this.log.write(chunk)
        if (seen.length < 100_000) seen += chunk.toString('utf8')
        if (seen.includes(ready)) {
          clearTimeout(timer)
          resolve()
        }
      }
      const timer = setTimeout(
        () => reject(new Error(`chaos: bot ${this.role} not ready in 30 s:\n${seen.slice(-2000)}`)),
        30_000,
      )
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(
          new Error(`chaos: bot ${this.role} exited (${code ?? signal}):\n${seen.slice(-2000)}`),
        )
      })
    })
  }

  async kill(): Promise<void> {
    const child = this.child!
    signalGroup(child, 'SIGKILL')
    await exited(child)
  }

  /** SIGTERM, as an operator stops it; SIGKILL if it has not gone in 5 s (the run is over). */
  async stop(): Promise<void> {
    const child = this.child
    if (!child) return
    signalGroup(child, 'SIGTERM')
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000)
    await exited(child)
    clearTimeout(timer)
    this.log.end()
  }
}

function pipeTo(child: ChildProcess, log: WriteStream): void {
  child.stdout!.pipe(log)
  child.stderr!.pipe(log)
}
