import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type Koa from 'koa'

/** Seconds of unmeasured load before each measured HTTP run (see loadHttp). */
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1)

export interface HttpFigure {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  errors: number
  non2xx: number
  /** True when the run needed more distinct requests than were prepared (ids were reused). */
  reused: boolean
  /**
   * CPU time this process spent per answered request, in microseconds. Steadier than req/s on
   * a shared machine: it does not count time the server waited for a core.
   */
  cpuPerRequestUs: number
}

export interface BenchRequest {
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
}

/**
 * Loads `app` over loopback HTTP from a separate load-generator process (so the client does
 * not compete for the server's event loop) with `connections` keep-alive connections for
 * `seconds`, replaying `requests` in order, after `warmupSeconds` of the same load that is
 * not measured.
 */
export async function loadHttp(
  app: Koa,
  requests: readonly BenchRequest[],
  options: { connections?: number; seconds?: number; warmupSeconds?: number } = {},
): Promise<HttpFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-'))
  const file = join(dir, 'requests.json')
  writeFileSync(file, JSON.stringify(requests))
  const server: Server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  // Why a warm-up: a bot runs for weeks, so its steady state is what a cadre meets. In a cold
  // run V8 is still compiling the path's code for the first few hundred requests, and those
  // were most of a 5-second run's slowest 1%: p99 45–60 ms cold against 38–45 ms over 12 s.
  // The floor is a few lines and warms at once; the write path is the whole bot.
  const warmupSeconds = options.warmupSeconds ?? WARMUP_SECONDS
  // CPU a request is over the warm-up and the run together (every answered request counted
  // as the server finished it): the compiling costs, so the figure errs high, never low.
  let answered = 0
  server.on('request', (_req, res: ServerResponse) => res.once('finish', () => answered++))
  const cpuBefore = process.cpuUsage()
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'load-client.ts'),
        `http://127.0.0.1:${port}`,
        file,
        String(options.connections ?? 32),
        String(options.seconds ?? 5),
        String(warmupSeconds),
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    )
    const cpu = process.cpuUsage(cpuBefore)
    const { result, used, available } = JSON.parse(stdout) as {
      result: {
        requests: { average: number; total: number }
        latency: { p50: number; p99: number }
        errors: number
        timeouts: number
        non2xx: number
      }
      used: number
      available: number
    }
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      reused: used > available,
      cpuPerRequestUs: (cpu.user + cpu.system) / Math.max(1, answered),
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One line in the format every benchmark prints. */
export function benchLine(name: string, figure: string, baseline: string, ratio: number): string {
  return `bench ${name}: ${figure} (${baseline}, ratio ${ratio.toFixed(2)})`
}
