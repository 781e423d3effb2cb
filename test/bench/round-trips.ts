import type { Writable } from 'node:stream'
import type { Redis } from 'ioredis'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

/**
 * Counts the sequential Redis round trips of one message: commands written in the same turn of
 * the event loop travel together (ioredis auto-pipelining and Promise.all), so a round trip is
 * a batch of writes to the connection's socket before the next macrotask. The socket is
 * watched, not `sendCommand`: ioredis' pipelines call `sendCommand` themselves, and a wrapper
 * there loses their NOSCRIPT answers to unhandled rejections after a Redis restart.
 */
function countRoundTrips(redis: Redis): { reset(): void; count(): number } {
  let batches = 0
  let open = false
  const socket = (redis as unknown as { stream: Writable }).stream
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean
  socket.write = ((...args: unknown[]) => {
    if (!open) {
      open = true
      batches++
      setImmediate(() => (open = false))
    }
    return write(...args)
  }) as Writable['write']
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
    // Once unmeasured, so the scripts are loaded: after a Redis restart each first EVALSHA
    // costs one more round trip (NOSCRIPT, then EVAL), a figure of the restart, not the path.
    for (const text of [
      '走访 李二 今天 八一',
      '发放优待金 李二 7月20日',
      '活动 慰问 今天 人数5',
      '统计',
      '未走访',
    ]) {
      await say(t, 'li', text)
    }
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
