import { parseArgs } from 'node:util'
import { systemClock } from '../../src/time/clock.js'
import {
  baseline,
  freezeRedis,
  killBot,
  killRedis,
  killWorker,
  platformErrors,
  type FaultContext,
  type FaultResult,
} from './faults.js'
import { killOwned } from './processes.js'
import { abandonStack, startStack, type Stack } from './stack.js'
import { formatResult, failedBy } from './report.js'
import { seedRoster, visitLines } from './seed.js'
import { Traffic } from './traffic.js'

/**
 * `npm run chaos [-- --short]`: the real bot (web and worker processes) on a Redis of its own,
 * under WeCom, DingTalk and sandbox traffic, through each fault in turn; one line of figures
 * per fault. Exits 1 when an acknowledged message was lost or stored twice, 2 when the run
 * itself failed or ran out of time. docs/chaos.md.
 */

const USAGE = 'usage: npm run chaos [-- --short] [--keep]'
const values = (() => {
  try {
    return parseArgs({
      options: {
        short: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
      },
    }).values
  } catch (err) {
    console.error(`chaos: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`)
    process.exit(2)
  }
})()
const short = values.short === true
/** `--keep`: leave the temp dir (bot and Redis logs) for a look afterwards. */
const keep = values.keep === true
// The whole run stops by itself: the short form is meant for CI.
const RUN_LIMIT_MS = short ? 180_000 : 600_000

let stack: Stack | undefined
let stackDir: string | undefined

let abandoning = false

function abandon(code: number, why: string): void {
  if (abandoning) return
  abandoning = true
  console.error(`chaos: ${why}`)
  abandonStack(keep ? undefined : stackDir)
    .catch((err: unknown) => console.error(`chaos: cleanup failed: ${String(err)}`))
    .finally(() => process.exit(code))
}

// Whatever ends this process, the redis-server and bot processes it started end with it.
process.once('exit', () => killOwned())
process.on('SIGINT', () =>
  abandon(130, 'interrupted; killing its processes, removing its temp dir'),
)
process.on('SIGTERM', () =>
  abandon(143, 'terminated; killing its processes, removing its temp dir'),
)
setTimeout(() => abandon(2, `run over ${RUN_LIMIT_MS / 1000} s; stopped`), RUN_LIMIT_MS).unref()

async function main(): Promise<number> {
  const started = performance.now()
  stack = await startStack((dir) => (stackDir = dir))
  const now = systemClock
  await seedRoster(stack.botUrl)
  const traffic = new Traffic({
    botUrl: stack.botUrl,
    dingtalk: stack.dingtalk,
    now,
    nextLine: visitLines(now, stack.timezone),
  })
  const ctx: FaultContext = { stack, traffic, short }
  const results: FaultResult[] = []
  const report = (result: FaultResult) => {
    results.push(result)
    console.log(formatResult(result))
  }

  report(await baseline(ctx))
  if (short) {
    // A killed worker's jobs come back only after 60 s (lock, stalled check, send claim):
    // the short form lets that run out beside the other faults and reads its figures last.
    const worker = await killWorker(ctx)
    report(await freezeRedis(ctx))
    report(await killRedis(ctx))
    report(await killBot(ctx))
    report(await platformErrors(ctx))
    report(await worker.finish())
  } else {
    report(await freezeRedis(ctx))
    report(await killRedis(ctx))
    report(await killBot(ctx))
    report(await (await killWorker(ctx)).finish())
    report(await platformErrors(ctx))
  }

  const seconds = Math.round((performance.now() - started) / 1000)
  const failed = failedBy(results)
  console.log(
    failed.length === 0
      ? `chaos: every acknowledged message stored exactly once (${seconds} s)`
      : `chaos: FAILED: ${failed.join(', ')} lost or doubled acknowledged messages (${seconds} s)${keep ? '' : '; --keep keeps the bot and Redis logs'}`,
  )
  if (keep) console.log(`chaos: logs kept in ${stack.dir}`)
  return failed.length === 0 ? 0 : 1
}

main()
  .then(async (code) => {
    await stack?.close({ keep })
    process.exit(code)
  })
  .catch((err: unknown) => {
    // Interrupted: the processes it was waiting on were killed on purpose.
    if (abandoning) return
    console.error(err instanceof Error ? (err.stack ?? err.message) : err)
    abandon(2, 'the run itself failed')
  })
