import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

/**
 * The load generator, run as its own process so the server under test keeps a core to
 * itself: `load-client.ts <url> <requests.json> <connections> <seconds>`. Requests are
 * replayed in order (each carries its own message id); prints autocannon's result as JSON.
 */
const [url, file, connections, seconds] = process.argv.slice(2)
const requests = JSON.parse(readFileSync(file!, 'utf8')) as {
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
}[]
let next = 0
const result = await autocannon({
  url: url!,
  connections: Number(connections),
  duration: Number(seconds),
  requests: [{ setupRequest: (req) => ({ ...req, ...requests[next++ % requests.length]! }) }],
})
process.stdout.write(JSON.stringify({ result, used: next, available: requests.length }))
