import { userInfo } from 'node:os'
import { createRecordServices, isUnconfigured } from '../compose.js'
import { describeDemoOutcome } from '../demo/demo-reply.js'
import { loadDemoTownship, type DemoLoaderDeps } from '../demo/load-demo.js'
import { createLogger } from '../log.js'
import { Keys } from '../records/keys.js'
import { RoleStore } from '../records/role-store.js'
import { resolveSecretKey } from '../secret-key.js'
import { systemClock } from '../time/clock.js'
import { loadCliConfig, runWhenExecuted, withCliRedis } from './cli-redis.js'

/** `npm run demo` exit codes: loaded (or already), refused (the roster has real people), bad use. */
export const EXIT_OK = 0
export const EXIT_REFUSED = 1
export const EXIT_USAGE = 2
/** Redis could not be reached (runWhenExecuted). */
export const EXIT_FAILED = 3

export const DEMO_USAGE = `用法：npm run demo

把示范镇（8 个村、1 个社区、77 位优抚对象，走访、优待金、活动和试用账号）
写入本机的双拥助手，连接方式与 npm start 相同（REDIS_URL，或 DATA_DIR 下的内置 Redis）。
花名册上已有别的对象时不载入；重复运行不会重复添加。`

export interface DemoCliDeps extends DemoLoaderDeps {
  /** Who the audit log names for the writes (`cli:<login>`). */
  operator: string
  /** Where the page is, for the last line; undefined when the sandbox is off. */
  sandboxUrl: string | undefined
  /** Nothing configured: the first sandbox user to write becomes administrator (the last line says so). */
  firstUserIsAdmin: boolean
  out: (line: string) => void
  err: (line: string) => void
}

/** Runs `npm run demo` with `argv` (after the script name); returns the exit code. */
export async function runDemoCli(argv: readonly string[], deps: DemoCliDeps): Promise<number> {
  const refused = answerUsage(argv, deps)
  if (refused !== undefined) return refused
  const outcome = await loadDemoTownship(deps, deps.operator)
  const lines = describeDemoOutcome(outcome)
  if (outcome.status === 'refused') {
    for (const line of lines) deps.err(line)
    return EXIT_REFUSED
  }
  for (const line of lines) deps.out(line)
  if (deps.sandboxUrl) {
    const first = deps.firstUserIsAdmin ? '；第一个发消息的用户成为管理员' : ''
    deps.out(`打开 ${deps.sandboxUrl} 试用${first}。`)
  }
  return EXIT_OK
}

/** The exit code when `argv` asks for the usage or is wrong (after saying so); else undefined. */
function answerUsage(
  argv: readonly string[],
  say: Pick<DemoCliDeps, 'out' | 'err'>,
): number | undefined {
  if (argv.length === 0) return undefined
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    say.out(DEMO_USAGE)
    return EXIT_OK
  }
  say.err(`参数不对：npm run demo 不需要参数，收到「${argv.join(' ')}」。`)
  say.err(DEMO_USAGE)
  return EXIT_USAGE
}

/** `cli:<login name>`, as `npm run roster` names whoever ran it. */
function operatorKey(): string {
  try {
    return `cli:${userInfo().username.replace(/[\s:]+/g, '_') || 'operator'}`
  } catch {
    // No passwd entry (some containers run under an arbitrary uid).
    return 'cli:operator'
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const print = (line: string) => console.log(line)
  const printError = (line: string) => console.error(line)
  // Arguments first: a typo should not start a Redis server.
  const usage = answerUsage(argv, { out: print, err: printError })
  if (usage !== undefined) {
    process.exitCode = usage
    return
  }
  const config = loadCliConfig(printError)
  if (!config) {
    process.exitCode = EXIT_USAGE
    return
  }
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir)
  await withCliRedis(config, printError, async (redis) => {
    const keys = new Keys()
    const services = createRecordServices(
      { config, redis, keys, secretKey, log: createLogger({ level: 'warn' }), now: systemClock },
      new RoleStore(redis, keys),
    )
    process.exitCode = await runDemoCli(argv, {
      services,
      now: systemClock,
      operator: operatorKey(),
      sandboxUrl: config.sandbox === 'off' ? undefined : `${config.publicUrl}/sandbox`,
      firstUserIsAdmin: isUnconfigured(config),
      out: print,
      err: printError,
    })
  })
}

runWhenExecuted(import.meta.url, main, EXIT_FAILED)
