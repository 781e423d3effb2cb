import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

/**
 * The load generator, run as its own process so the server under test keeps a core to
 * itself: `load-client.ts <url> <requests.json> <connections> <seconds> [warmup seconds]`.
 * Requests are replayed in order (each carries its own message id). The warm-up, when given,
 * runs first on the same connections' worth of load and is not measured; the measured run
 * goes on from the request after the last one the warm-up used, so no id is sent twice.
 * Prints the measured run's autocannon result as JSON.
 */
const [url, file, connections, seconds, warmupSeconds] = process.argv.slice(2)
const requests = JSON.parse(readFileSync(file!, 'utf8')) as {
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
}[]
let next = 0
const load = (duration: number) =>
  autocannon({
    url: url!,
    connections: Number(connections),
    duration,
    requests: [{ setupRequest: (req) => ({ ...req, ...requests[next++ % requests.length]! }) }],
  })
if (Number(warmupSeconds ?? 0) > 0) await load(Number(warmupSeconds))
const warmedUp = next
const result = await load(Number(seconds))
process.stdout.write(JSON.stringify({ result, warmedUp, used: next, available: requests.length }))
