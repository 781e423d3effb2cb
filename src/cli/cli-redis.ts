import { pathToFileURL } from 'node:url'
import { loadConfig, readEnvironment, type Config } from '../config.js'
import { startEmbeddedRedis, type EmbeddedRedis } from '../embedded-redis.js'
import { createLogger } from '../log.js'
import { ConfigError, StoreUnavailableError } from '../errors.js'
import { connectRedis, type RedisClient } from '../records/redis.js'

/**
 * The configuration as the operator's tools read it (.env and the environment), or undefined
 * when it has problems: each is said in Chinese with `say`, as the bot says them at start-up.
 */
export function loadCliConfig(say: (line: string) => void): Config | undefined {
  try {
    return loadConfig(readEnvironment())
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    say(`配置有 ${err.problems.length} 处问题（.env 或环境变量）：`)
    for (const problem of err.problems) say(`  - ${problem}`)
    return undefined
  }
}

/**
 * Runs `work` on the bot's Redis as the operator's tools reach it: REDIS_URL, or the embedded
 * Redis under DATA_DIR (reusing a running bot's, else starting one and stopping it after).
 */
export async function withCliRedis<T>(
  config: Config,
  say: (line: string) => void,
  work: (redis: RedisClient) => Promise<T>,
): Promise<T> {
  let embedded: EmbeddedRedis | undefined
  if (!config.redisUrl) {
    embedded = await startEmbeddedRedis({
      dataDir: config.dataDir,
      log: createLogger({ level: 'warn' }),
    })
    if (embedded.started) say(`已启动内置 Redis（${config.dataDir}/redis），完成后关闭。`)
  }
  let redis: RedisClient | undefined
  try {
    redis = await connectRedis(config.redisUrl ?? embedded!.url, 'request')
    return await work(redis)
  } finally {
    await redis?.quit().catch(() => redis?.disconnect())
    await embedded?.stop()
  }
}

/** Runs a CLI's `main` when the file is executed directly, ending with `failCode` on a throw. */
export function runWhenExecuted(
  moduleUrl: string,
  main: () => Promise<void>,
  failCode: number,
): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return
  main().catch((err: unknown) => {
    if (err instanceof StoreUnavailableError) {
      console.error('连不上 Redis：请检查 REDIS_URL，或确认 DATA_DIR 下的内置 Redis 能启动。')
    }
    console.error(err instanceof Error ? err.message : err)
    process.exitCode = failCode
  })
}
