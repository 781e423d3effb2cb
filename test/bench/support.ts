import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import autocannon from 'autocannon'
import type Koa from 'koa'

export interface HttpFigure {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  errors: number
  non2xx: number
}

/**
 * Loads `app` over loopback HTTP with `connections` keep-alive connections for
 * `seconds`, each request built by `nextRequest` (so every request can carry a fresh id).
 */
export async function loadHttp(
  app: Koa,
  nextRequest: () => {
    method: 'GET' | 'POST'
    path: string
    headers?: Record<string, string>
    body?: string
  },
  options: { connections?: number; seconds?: number } = {},
): Promise<HttpFigure> {
  const server: Server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  try {
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: options.connections ?? 32,
      duration: options.seconds ?? 5,
      requests: [{ setupRequest: (req) => ({ ...req, ...nextRequest() }) }],
    })
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** One line in the format every benchmark prints. */
export function benchLine(name: string, figure: string, baseline: string, ratio: number): string {
  return `bench ${name}: ${figure} (${baseline}, ratio ${ratio.toFixed(2)})`
}
