import { userInfo } from 'node:os'
import { extname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig, readEnvironment, type Config } from '../config.js'
import { runWhenExecuted, withCliRedis } from './cli-redis.js'
import { ConfigError, UserFacingError } from '../errors.js'
import { todayIn } from '../parse/date.js'
import { Keys } from '../records/keys.js'
import { PeopleStore } from '../records/people-store.js'
import { Pii } from '../records/pii.js'
import { RecordWriter } from '../records/record-writer.js'
import { VillageStore } from '../records/village-store.js'
import { exportRoster } from '../roster/roster-export.js'
import { formatImportReport, importRoster, type RosterImportDeps } from '../roster/roster-import.js'
import { resolveSecretKey } from '../secret-key.js'
import { systemClock } from '../time/clock.js'

/** `npm run roster -- …` exit codes: success, invalid input (file or rows), bad arguments. */
export const EXIT_OK = 0
export const EXIT_INVALID = 1
export const EXIT_USAGE = 2

export const ROSTER_USAGE = `用法：
  npm run roster -- import <花名册.xlsx|花名册.csv> [--skip-invalid] [--dry-run]
  npm run roster -- export [花名册.xlsx] [--reveal]

import  逐行检查后导入花名册（第一个工作表；CSV 须为 UTF-8 或 GBK 编码）。
        任何一行有错就不导入，并按行号列出错误；
        --skip-invalid  只导入正确的行，跳过有错误的行
        --dry-run       只检查、报告，不写入
        同一文件重复导入不会重复添加；身份证号已在花名册上的人记为重复。
export  导出在册的全部优抚对象（按村排列，列与导入相同），默认文件名 花名册-<日期>.xlsx。
        电话、身份证号默认打码；--reveal 导出完整号码（文件含个人信息，请妥善保管）。

列：姓名、村（社区）、类别 必填；残疾等级、户口类型、入伍时间、入伍批次、电话、身份证号、备注 可选。`

export type RosterCommand =
  | { kind: 'import'; file: string; skipInvalid: boolean; dryRun: boolean }
  | { kind: 'export'; file: string | undefined; reveal: boolean }
  | { kind: 'help' }

/** Arguments the CLI cannot run with; `message` is Chinese, shown above the usage. */
export class RosterUsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RosterUsageError'
  }
}

/** Parses `import …` / `export …` / `--help`. Throws RosterUsageError for anything else. */
export function parseRosterArgs(argv: readonly string[]): RosterCommand {
  let parsed: ReturnType<typeof parseRosterOptions>
  try {
    parsed = parseRosterOptions(argv)
  } catch (err) {
    // node:util parseArgs throws TypeError (ERR_PARSE_ARGS_*) for unknown or malformed options.
    throw new RosterUsageError(`参数不对：${(err as Error).message}`)
  }
  const { values, positionals } = parsed
  const [command, ...files] = positionals
  if (values.help || command === 'help') return { kind: 'help' }
  if (command !== 'import' && command !== 'export') {
    throw new RosterUsageError(
      command === undefined ? '请写明 import 或 export。' : `不认识的子命令「${command}」。`,
    )
  }
  if (files.length > 1) throw new RosterUsageError(`多余的参数：${files.slice(1).join(' ')}`)
  const file = files[0]
  if (command === 'import') {
    if (values.reveal) throw new RosterUsageError('--reveal 只用于 export。')
    if (file === undefined) throw new RosterUsageError('请写上要导入的文件，如 花名册.xlsx。')
    const ext = extname(file).toLowerCase()
    if (ext === '.xls' || ext === '.et') {
      throw new RosterUsageError(
        `不支持旧版 ${ext} 文件：请用 Excel 或 WPS 打开后「另存为」Excel 工作簿（*.xlsx）或 CSV UTF-8。`,
      )
    }
    if (ext !== '.xlsx' && ext !== '.csv') {
      throw new RosterUsageError(`只能导入 .xlsx 或 .csv 文件，收到的是「${file}」。`)
    }
    return {
      kind: 'import',
      file,
      skipInvalid: values['skip-invalid'] ?? false,
      dryRun: values['dry-run'] ?? false,
    }
  }
  if (values['skip-invalid'] || values['dry-run']) {
    throw new RosterUsageError('--skip-invalid 和 --dry-run 只用于 import。')
  }
  if (file !== undefined && extname(file).toLowerCase() !== '.xlsx') {
    throw new RosterUsageError(`导出文件须以 .xlsx 结尾，收到的是「${file}」。`)
  }
  return { kind: 'export', file, reveal: values.reveal ?? false }
}

function parseRosterOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      'skip-invalid': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      reveal: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

export interface RosterCliDeps extends RosterImportDeps {
  /** Where relative file names resolve from (the directory `npm run` was started in). */
  cwd: string
  /** Writes one line for the operator (stdout). */
  out: (line: string) => void
  /** Writes one line about a failure (stderr). */
  err: (line: string) => void
}

/**
 * Runs one roster command and returns the exit code (EXIT_*). Input the operator can fix
 * is reported through `err`; anything else (Redis unreachable, a bug) throws.
 */
export async function runRosterCli(argv: readonly string[], deps: RosterCliDeps): Promise<number> {
  let command: RosterCommand
  try {
    command = parseRosterArgs(argv)
  } catch (err) {
    if (!(err instanceof RosterUsageError)) throw err
    deps.err(err.message)
    deps.err(ROSTER_USAGE)
    return EXIT_USAGE
  }
  try {
    if (command.kind === 'help') {
      deps.out(ROSTER_USAGE)
      return EXIT_OK
    }
    if (command.kind === 'import') {
      const report = await importRoster(
        resolve(deps.cwd, command.file),
        { skipInvalid: command.skipInvalid, dryRun: command.dryRun },
        deps,
      )
      const write = report.refused ? deps.err : deps.out
      for (const line of formatImportReport(report)) write(line)
      return report.refused ? EXIT_INVALID : EXIT_OK
    }
    const today = todayIn(deps.now(), deps.timezone)
    const file = resolve(deps.cwd, command.file ?? `花名册-${today}.xlsx`)
    const result = await exportRoster(file, { reveal: command.reveal }, deps)
    deps.out(`已导出 ${result.people} 人（${result.villages} 个村/社区）到 ${file}`)
    if (command.reveal) {
      deps.err(
        '注意：此文件含完整的身份证号和电话（个人信息），请妥善保管，用完及时删除，不要转发到群里。',
      )
    } else {
      deps.out('电话、身份证号已打码；需要完整号码请加 --reveal。')
    }
    return EXIT_OK
  } catch (err) {
    if (!(err instanceof UserFacingError)) throw err
    deps.err(err.replyText)
    return EXIT_INVALID
  }
}

/** `cli:<login name>`: the audit log attributes the import to whoever ran it on the server. */
function operatorKey(): string {
  try {
    const name = userInfo().username.replace(/[\s:]+/g, '_')
    return `cli:${name || 'operator'}`
  } catch {
    // No passwd entry (some containers run under an arbitrary uid).
    return 'cli:operator'
  }
}

/**
 * Connects like the bot (REDIS_URL, or the embedded Redis under DATA_DIR, reusing a running
 * one; SECRET_KEY or DATA_DIR/secret.key), runs the command, and sets the exit code.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const print = (line: string) => console.log(line)
  const printError = (line: string) => console.error(line)
  // Usage first: a typo should not start a Redis server.
  try {
    if (parseRosterArgs(argv).kind === 'help') {
      print(ROSTER_USAGE)
      return
    }
  } catch (err) {
    if (!(err instanceof RosterUsageError)) throw err
    printError(err.message)
    printError(ROSTER_USAGE)
    process.exitCode = EXIT_USAGE
    return
  }
  const env = readEnvironment()
  let config: Config
  try {
    config = loadConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    printError(`配置有 ${err.problems.length} 处问题（.env 或环境变量）：`)
    for (const problem of err.problems) printError(`  - ${problem}`)
    process.exitCode = EXIT_INVALID
    return
  }
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir)
  await withCliRedis(config, printError, async (redis) => {
    const storeDeps = { redis, keys: new Keys(), pii: new Pii(secretKey) }
    process.exitCode = await runRosterCli(argv, {
      people: new PeopleStore(storeDeps),
      villages: new VillageStore(storeDeps),
      writes: new RecordWriter(storeDeps),
      actor: operatorKey(),
      now: systemClock,
      timezone: config.timezone,
      cwd: env.INIT_CWD ?? process.cwd(),
      out: print,
      err: printError,
    })
  })
}

runWhenExecuted(import.meta.url, main, EXIT_INVALID)
