import { existsSync, readFileSync } from 'node:fs'
import { parse as parseDotenv } from 'dotenv'
import { z } from 'zod'
import { ConfigError } from './errors.js'
import {
  DINGTALK_REQUIRED_VARS,
  dingtalkEnvSchema,
  type DingtalkConfig,
} from './platforms/dingtalk/config.js'
import { WECOM_REQUIRED_VARS, wecomEnvSchema, type WecomConfig } from './platforms/wecom/config.js'
import { isUserKey } from './user-key.js'

/** How the local sandbox chat is exposed: `on` answers loopback clients only. */
export type SandboxMode = 'off' | 'on' | 'public'

export interface Config {
  port: number
  host: string
  /** Unset = start the embedded redis-server under `dataDir`. */
  redisUrl: string | undefined
  dataDir: string
  timezone: string
  publicUrl: string
  /** TOWNSHIP_NAME: the township in titles of exports and reports (`××镇`); unset = 本镇. */
  townshipName: string | undefined
  sandbox: SandboxMode
  /** SANDBOX_TOKEN: what a `public` sandbox asks of every request; `public` needs it. */
  sandboxToken: string | undefined
  /** `platform:userId` strings, e.g. `wecom:zhangsan`. */
  adminUsers: readonly string[]
  adminToken: string | undefined
  /** Unset = generated into `dataDir` on first start (see src/secret-key.ts). */
  secretKey: string | undefined
  logLevel: string
  wecom: WecomConfig | undefined
  dingtalk: DingtalkConfig | undefined
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const optionalString = z.preprocess(emptyToUndefined, z.string().optional())

const baseSchema = z.object({
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int('must be a whole number')
      .min(0)
      .max(65535, 'must be a port number 0-65535')
      .default(3000),
  ),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^(rediss?:\/\/|redis-cluster:\/\/|unix:\/\/)/,
        'must start with redis://, rediss://, unix:// or redis-cluster:// (or be unset for the embedded Redis)',
      )
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  BOT_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(isValidTimezone, 'must be an IANA time zone such as Asia/Shanghai')
      .default('Asia/Shanghai'),
  ),
  PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z.url('must be an absolute URL such as https://bot.example.gov.cn').optional(),
  ),
  TOWNSHIP_NAME: optionalString.refine(
    (t) => t === undefined || t.trim().length <= 30,
    'must be at most 30 characters, such as 铁炉镇',
  ),
  SANDBOX: z.preprocess(
    emptyToUndefined,
    z.enum(['on', 'off', 'public'], 'must be on, off or public').optional(),
  ),
  SANDBOX_TOKEN: optionalString.refine(
    (t) => t === undefined || t.length >= 16,
    'must be at least 16 characters (it is the password of the public sandbox)',
  ),
  ADMIN_USERS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((s) => (s ?? '').split(/[,，\s]+/).filter(Boolean))
      .refine(
        (list) => list.every((u) => isUserKey(u)),
        'must be a comma list of platform:userId, e.g. wecom:zhangsan,sandbox:admin',
      ),
  ),
  ADMIN_TOKEN: optionalString.refine(
    (t) => t === undefined || t.length >= 16,
    'must be at least 16 characters (it guards /admin/*)',
  ),
  SECRET_KEY: optionalString.refine(
    (t) => t === undefined || t.length >= 32,
    'must be at least 32 characters (or unset to generate one into DATA_DIR)',
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  WECOM_API_BASE: z.preprocess(emptyToUndefined, z.url().default('https://qyapi.weixin.qq.com')),
  DINGTALK_ROBOT_CODE: optionalString,
  DINGTALK_MODE: z.preprocess(
    emptyToUndefined,
    z.enum(['http', 'stream'], 'must be http or stream').default('http'),
  ),
  DINGTALK_API_BASE: z.preprocess(emptyToUndefined, z.url().default('https://api.dingtalk.com')),
  DINGTALK_OAPI_BASE: z.preprocess(emptyToUndefined, z.url().default('https://oapi.dingtalk.com')),
})

function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

type Env = Record<string, string | undefined>

/**
 * A platform is on when all its variables are set, off when none are, and a problem
 * naming each missing variable otherwise.
 */
function readPlatform<T extends z.ZodObject>(
  env: Env,
  label: string,
  required: readonly string[],
  schema: T,
  problems: string[],
): z.infer<T> | undefined {
  const present = required.filter((name) => (env[name] ?? '').trim() !== '')
  if (present.length === 0) return undefined
  const missing = required.filter((name) => !present.includes(name))
  for (const name of missing) {
    problems.push(
      `${name} is missing: ${label} needs all of ${required.join(', ')} (or none, to turn ${label} off)`,
    )
  }
  const parsed = schema.safeParse(Object.fromEntries(present.map((n) => [n, env[n]!.trim()])))
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0])
      if (missing.includes(name)) continue
      problems.push(`${name} ${issue.message}`)
    }
    return undefined
  }
  return missing.length === 0 ? parsed.data : undefined
}

/**
 * Reads and validates the whole configuration once; the result is frozen.
 * Throws ConfigError with one line per problem, each naming the variable and the fix.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const base = baseSchema.safeParse(env)
  if (!base.success) {
    for (const issue of base.error.issues)
      problems.push(`${String(issue.path[0])} ${issue.message}`)
  }
  const wecomEnv = readPlatform(env, 'WeCom', WECOM_REQUIRED_VARS, wecomEnvSchema, problems)
  const dingtalkEnv = readPlatform(
    env,
    'DingTalk',
    DINGTALK_REQUIRED_VARS,
    dingtalkEnvSchema,
    problems,
  )
  if (base.success && base.data.SANDBOX === 'public' && base.data.SANDBOX_TOKEN === undefined) {
    problems.push(
      'SANDBOX_TOKEN is missing: SANDBOX=public answers any client, so set SANDBOX_TOKEN to a secret of at least 16 characters (or use SANDBOX=on for this machine only)',
    )
  }
  if (problems.length > 0 || !base.success) throw new ConfigError(problems)
  const b = base.data

  const wecom: WecomConfig | undefined = wecomEnv && {
    corpId: wecomEnv.WECOM_CORP_ID,
    agentId: Number(wecomEnv.WECOM_AGENT_ID),
    secret: wecomEnv.WECOM_SECRET,
    token: wecomEnv.WECOM_TOKEN,
    encodingAesKey: wecomEnv.WECOM_ENCODING_AES_KEY,
    apiBase: stripSlash(b.WECOM_API_BASE),
  }
  const dingtalk: DingtalkConfig | undefined = dingtalkEnv && {
    appKey: dingtalkEnv.DINGTALK_APP_KEY,
    appSecret: dingtalkEnv.DINGTALK_APP_SECRET,
    robotCode: b.DINGTALK_ROBOT_CODE ?? dingtalkEnv.DINGTALK_APP_KEY,
    mode: b.DINGTALK_MODE,
    apiBase: stripSlash(b.DINGTALK_API_BASE),
    oapiBase: stripSlash(b.DINGTALK_OAPI_BASE),
  }
  const anyPlatform = wecom !== undefined || dingtalk !== undefined

  return Object.freeze({
    port: b.PORT,
    host: b.HOST,
    redisUrl: b.REDIS_URL,
    dataDir: b.DATA_DIR,
    timezone: b.BOT_TIMEZONE,
    publicUrl: stripSlash(b.PUBLIC_URL ?? `http://localhost:${b.PORT}`),
    townshipName: b.TOWNSHIP_NAME?.trim(),
    sandbox: b.SANDBOX ?? (anyPlatform ? 'off' : 'on'),
    sandboxToken: b.SANDBOX_TOKEN,
    adminUsers: Object.freeze(b.ADMIN_USERS),
    adminToken: b.ADMIN_TOKEN,
    secretKey: b.SECRET_KEY,
    logLevel: b.LOG_LEVEL,
    wecom,
    dingtalk,
  })
}

/**
 * The start-up warning for a sandbox left on beside a real platform, or `undefined`. Its
 * users are `sandbox:<name>`, whoever types the name, so on a production host it is a side
 * door to the records of real people.
 */
export function sandboxWarning(config: Config): string | undefined {
  if (config.sandbox === 'off') return undefined
  const platforms = [config.wecom && 'WeCom', config.dingtalk && 'DingTalk'].filter(Boolean)
  if (platforms.length === 0) return undefined
  const who = config.sandbox === 'on' ? 'anyone on this machine' : 'anyone with SANDBOX_TOKEN'
  return (
    `SECURITY: the sandbox chat is ${config.sandbox} alongside ${platforms.join(' and ')}: ` +
    `${who} can chat at /sandbox as any sandbox user, with that user's role. ` +
    'Set SANDBOX=off unless this is a test install.'
  )
}

/**
 * The start-up warning for a platform configured while PUBLIC_URL names this machine (unset, it
 * is `http://localhost:PORT`), or `undefined`. The links the bot sends (export downloads) are
 * opened on phones, where localhost is the phone itself.
 */
export function publicUrlWarning(config: Config): string | undefined {
  const platforms = [config.wecom && 'WeCom', config.dingtalk && 'DingTalk'].filter(Boolean)
  if (platforms.length === 0) return undefined
  const host = new URL(config.publicUrl).hostname
  const local =
    host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '0.0.0.0'
  if (!local) return undefined
  return (
    `PUBLIC_URL is ${config.publicUrl} with ${platforms.join(' and ')} on: download links in ` +
    `replies would point there, which a phone cannot open. Set PUBLIC_URL to the address ` +
    'users reach this bot at, such as https://bot.example.gov.cn.'
  )
}

/** The process environment with `.env` (if present) filling what the environment leaves unset. */
export function readEnvironment(envFile = '.env'): Env {
  const fromFile = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {}
  return { ...fromFile, ...process.env }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
