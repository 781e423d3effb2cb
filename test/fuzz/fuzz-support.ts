import fc from 'fast-check'
import type { Response } from 'supertest'
import { expect } from 'vitest'
import { createTestBot, type TestBot } from '../support/bot.js'
import { DINGTALK_TEST_APP, WECOM_TEST_ENV } from '../support/drivers.js'
import { startFakeDingtalk, type FakeDingtalk } from '../support/fake-dingtalk.js'
import { startFakeWecom, type FakeWecom } from '../support/fake-wecom.js'

/**
 * Shared by the fuzz files (issue 10, part 8): one whole bot with WeCom, DingTalk, the sandbox
 * and the queue dashboard on, a fixed clock, and the local fakes behind both platforms so a
 * fuzzed message that happens to be valid replies to them, never to the internet.
 */

/** FUZZ_RUNS=500 runs each property longer; the default keeps a file under ~20 s. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 0) || undefined

/**
 * Each fuzz test's timeout, ms: generous, since the suite shares two cores with other files
 * (a run takes 1–3 s alone); with FUZZ_RUNS, long enough for that many runs.
 */
export const FUZZ_TIMEOUT_MS = Math.max(60_000, (FUZZ_RUNS ?? 0) * 1000)

/** fast-check parameters: `runs` by default, FUZZ_RUNS when set. */
export function fuzzParams(runs: number): fc.Parameters<unknown> {
  return { numRuns: FUZZ_RUNS ?? runs, endOnFailure: true }
}

export const AT = new Date('2027-03-10T02:00:00Z')
export const AT_SECONDS = String(Math.floor(AT.getTime() / 1000))
export const ADMIN_TOKEN = 'fuzz-admin-token'

export const WECOM_KEYS = {
  token: WECOM_TEST_ENV.WECOM_TOKEN,
  encodingAesKey: WECOM_TEST_ENV.WECOM_ENCODING_AES_KEY,
  corpId: WECOM_TEST_ENV.WECOM_CORP_ID,
}

export interface FuzzBot {
  t: TestBot
  dingtalk: FakeDingtalk
  wecom: FakeWecom
  close(): Promise<void>
}

/** `env` adds to (or overrides) the fuzz bot's configuration, e.g. ADMIN_USERS. */
export async function startFuzzBot(env: Record<string, string> = {}): Promise<FuzzBot> {
  const dingtalk = await startFakeDingtalk({ ...DINGTALK_TEST_APP, robotCode: 'fuzz-robot' })
  const wecom = await startFakeWecom({
    corpId: WECOM_TEST_ENV.WECOM_CORP_ID,
    secret: WECOM_TEST_ENV.WECOM_SECRET,
    agentId: Number(WECOM_TEST_ENV.WECOM_AGENT_ID),
  })
  const t = await createTestBot(
    {
      ...WECOM_TEST_ENV,
      WECOM_API_BASE: wecom.url,
      DINGTALK_APP_KEY: DINGTALK_TEST_APP.appKey,
      DINGTALK_APP_SECRET: DINGTALK_TEST_APP.appSecret,
      DINGTALK_API_BASE: dingtalk.url,
      DINGTALK_OAPI_BASE: dingtalk.url,
      SANDBOX: 'on',
      ADMIN_TOKEN,
      ...env,
    },
    { now: () => AT },
  )
  // BullMQ writes the queue's meta key once its connection is up, whatever the requests: let
  // it land first, so the fuzz runs' key counts see only what requests store.
  await t.queue.waitUntilReady()
  const meta = t.queue.keys.meta ?? ''
  for (let i = 0; i < 200 && (await t.redis.exists(meta)) === 0; i++) {
    await new Promise((resolve) => setImmediate(resolve))
  }
  return {
    t,
    dingtalk,
    wecom,
    close: async () => {
      await t.bot.settle()
      await t.cleanup()
      await dingtalk.close()
      await wecom.close()
    },
  }
}

/** The keys the bot has under its test prefix (records, claims, ledgers, BullMQ's). */
export async function keysOf(t: TestBot): Promise<Set<string>> {
  let cursor = '0'
  const keys = new Set<string>()
  do {
    const [next, found] = await t.redis.scan(cursor, 'MATCH', `${t.prefix}*`, 'COUNT', 5000)
    cursor = next
    for (const key of found) keys.add(key.slice(t.prefix.length))
  } while (cursor !== '0')
  return keys
}

/** The properties every answer keeps: no 5xx but 503, and a refusal stores nothing. */
export async function expectHarmless(
  t: TestBot,
  send: () => Promise<Response>,
  allowed?: readonly number[],
): Promise<Response> {
  const before = await keysOf(t)
  const res = await send()
  await t.bot.settle()
  const after = await keysOf(t)
  const context = `${res.status} ${res.text.slice(0, 200)}`
  expect(res.status >= 500 && res.status !== 503, `5xx: ${context}`).toBe(false)
  if (allowed !== undefined) expect(allowed, context).toContain(res.status)
  if (res.status >= 400) {
    expect(
      [...after].filter((key) => !before.has(key)),
      `stored on ${context}`,
    ).toEqual([])
  }
  return res
}

/** GET /healthz answers 200: the process survived the run. */
export async function expectHealthy(t: TestBot): Promise<void> {
  const res = await t.http.get('/healthz')
  expect(res.status).toBe(200)
}

/** Nothing was written as a record (a fuzzed sender is never registered). */
export async function expectNoRecords(t: TestBot): Promise<void> {
  expect(await t.redis.exists(t.keys.records(), t.keys.recordSeq(), t.keys.audit())).toBe(0)
}

/** Text that stresses parsers: markup, entities, CDATA ends, control and astral characters. */
export const hostileText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    ']]>',
    '<![CDATA[',
    '&amp;&lt;&#0;&#x110000;&bogus;',
    '<?xml version="1.0"?>',
    '<!DOCTYPE x [<!ENTITY a "aaaa">]>&a;',
    '\u0000\u0001\u001f',
    '\ud800',
    '走访 张三 7月28日 八一 慰问金500元',
    '帮助',
    '取消',
    '确认',
    '设置角色 wecom:x 管理员',
    '{"__proto__":{"polluted":1}}',
    'constructor',
    '9'.repeat(400),
  ),
)
