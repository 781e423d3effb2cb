import { parseArgs } from 'node:util'
import { loadCliConfig, runWhenExecuted, withCliRedis } from './cli-redis.js'
import { Keys } from '../records/keys.js'
import type { RecountOptions, RecountReport } from '../records/reconciler.js'
import { Reconciler } from '../records/reconciler.js'

/**
 * `npm run reconcile` exit codes: consistent (or repaired), drift left as is, bad arguments or
 * configuration, and no answer (Redis unreachable, or writes kept landing during the recount).
 */
export const EXIT_OK = 0
export const EXIT_DRIFT = 1
export const EXIT_USAGE = 2
export const EXIT_FAILED = 3

export const RECONCILE_USAGE = `用法：
  npm run reconcile            从全部记录重算各项计数，与存储的计数比对并报告
  npm run reconcile -- --fix   同上，并把不一致的计数改为重算值（只在比对期间无人写入时写回）

计数一致（或已修复）退出码为 0；有不一致且未加 --fix 为 1；参数或配置错误为 2；连不上 Redis 等为 3。`

/** Drift lines printed at most; the rest are counted. */
const MAX_DRIFT_LINES = 20

/** Parses `[--fix] [--help]`; throws TypeError (node:util) for anything else. */
export function parseReconcileArgs(argv: readonly string[]): { fix: boolean; help: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: { fix: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  })
  return { fix: values.fix ?? false, help: values.help ?? false }
}

export interface ReconcileCliDeps {
  reconciler: { recountFromRecords(options?: RecountOptions): Promise<RecountReport> }
  /** For showing key names without the deployment's prefix. */
  keys: Keys
  out: (line: string) => void
  err: (line: string) => void
}

/** The report of one recount, in the operator's words. */
export function formatRecountReport(report: RecountReport, keys: Keys): string[] {
  const n = (x: number) => x.toLocaleString('en-US')
  const head = `对账：读取记录 ${n(report.records)} 条，核对计数 ${n(report.checkedKeys)} 项`
  if (report.drift.length === 0) return [`${head}，全部一致。`]
  const lines = [`${head}，发现 ${report.drift.length} 处不一致：`]
  for (const d of report.drift.slice(0, MAX_DRIFT_LINES)) {
    const key = d.key.startsWith(keys.base) ? d.key.slice(keys.base.length) : d.key
    lines.push(`  ${key}  ${d.field}  存储 ${d.stored}，按记录应为 ${d.expected}`)
  }
  if (report.drift.length > MAX_DRIFT_LINES) {
    lines.push(`  ……另有 ${report.drift.length - MAX_DRIFT_LINES} 处。`)
  }
  lines.push(
    report.fixed
      ? `已修复：${report.drift.length} 处已按记录重算值写回。`
      : '未修复。核对后运行 npm run reconcile -- --fix 按记录重算值写回。',
  )
  return lines
}

/**
 * Runs one reconciliation (issue 4) and returns the exit code: EXIT_OK when the counters
 * equal a recount from the records (or were repaired with --fix), EXIT_DRIFT when drift is
 * left, EXIT_USAGE for bad arguments. Redis failures throw.
 */
export async function runReconcileCli(
  argv: readonly string[],
  deps: ReconcileCliDeps,
): Promise<number> {
  let args: ReturnType<typeof parseReconcileArgs>
  try {
    args = parseReconcileArgs(argv)
  } catch (err) {
    deps.err(`参数不对：${(err as Error).message}`)
    deps.err(RECONCILE_USAGE)
    return EXIT_USAGE
  }
  if (args.help) {
    deps.out(RECONCILE_USAGE)
    return EXIT_OK
  }
  const report = await deps.reconciler.recountFromRecords({ fix: args.fix })
  const lines = formatRecountReport(report, deps.keys)
  const clean = report.drift.length === 0 || report.fixed
  for (const line of lines) (clean ? deps.out : deps.err)(line)
  return clean ? EXIT_OK : EXIT_DRIFT
}

/** Connects like the bot (REDIS_URL, or the embedded Redis under DATA_DIR) and reconciles. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const print = (line: string) => console.log(line)
  const printError = (line: string) => console.error(line)
  // Arguments first: a typo should not start a Redis server.
  try {
    if (parseReconcileArgs(argv).help) {
      print(RECONCILE_USAGE)
      return
    }
  } catch (err) {
    printError(`参数不对：${(err as Error).message}`)
    printError(RECONCILE_USAGE)
    process.exitCode = EXIT_USAGE
    return
  }
  const config = loadCliConfig(printError)
  if (!config) {
    process.exitCode = EXIT_USAGE
    return
  }
  await withCliRedis(config, printError, async (redis) => {
    const keys = new Keys()
    process.exitCode = await runReconcileCli(argv, {
      reconciler: new Reconciler({ redis, keys }),
      keys,
      out: print,
      err: printError,
    })
  })
}

runWhenExecuted(import.meta.url, main, EXIT_FAILED)
