import type { Redis } from 'ioredis'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

/**
 * Counts the sequential Redis round trips of one message: commands sent in the same turn of
 * the event loop travel together (ioredis auto-pipelining and Promise.all), so a round trip is
 * a batch of commands issued before the next macrotask.
 */
function countRoundTrips(redis: Redis): { reset(): void; count(): number } {
  let batches = 0
  let open = false
  const original = redis.sendCommand.bind(redis)
  redis.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    if (!open) {
      open = true
      batches++
      setImmediate(() => (open = false))
    }
    return original(...args)
  }) as Redis['sendCommand']
  return { reset: () => (batches = 0), count: () => batches }
}

const NOW = new Date('2026-07-31T02:00:00Z')

async function measure(t: TestBot, user: string, text: string): Promise<number> {
  const counter = countRoundTrips(t.redis)
  counter.reset()
  await say(t, user, text)
  return counter.count()
}

/**
 * Sequential Redis round trips per one-line command, against a one-line visit (the path
 * docs/performance.md takes apart): a count, so it is exact on a noisy machine.
 */
export async function benchRoundTrips(): Promise<string[]> {
  const t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
  try {
    await seedTown(t)
    const visit = await measure(t, 'li', '走访 张三 今天 八一 慰问金500元')
    const lines: [string, string][] = [
      ['payment', '发放优待金 李一 7月20日'],
      ['activity', '活动 座谈会 今天 人数40'],
      ['tally', '统计'],
      ['unvisited', '未走访'],
    ]
    const out = [`bench round-trips-visit: ${visit} round trips (visit ${visit}, ratio 1.00)`]
    for (const [name, text] of lines) {
      const n = await measure(t, 'li', text)
      out.push(
        `bench round-trips-${name}: ${n} round trips (visit ${visit}, ratio ${(n / visit).toFixed(2)})`,
      )
    }
    return out
  } finally {
    await t.cleanup()
  }
}
