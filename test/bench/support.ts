import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type Koa from 'koa'

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
 * `seconds`, replaying `requests` in order.
 */
export async function loadHttp(
  app: Koa,
  requests: readonly BenchRequest[],
  options: { connections?: number; seconds?: number } = {},
): Promise<HttpFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-'))
  const file = join(dir, 'requests.json')
  writeFileSync(file, JSON.stringify(requests))
  const server: Server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
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
      cpuPerRequestUs: (cpu.user + cpu.system) / Math.max(1, result.requests.total),
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
