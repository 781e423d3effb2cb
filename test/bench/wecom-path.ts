import Koa from 'koa'
import Router from 'koa-router'
import { createTestBot, type TestBot } from '../support/bot.js'
import { sealWecomCallback } from '../support/fake-wecom.js'
import { toRawWebhook } from '../../src/http/to-raw-webhook.js'
import {
  benchLine,
  loadHttp,
  WARMUP_SECONDS,
  type BenchRequest,
  type HttpFigure,
} from './support.js'
import { minimalWecomFloor } from './wecom-minimal-floor.js'

const WECOM = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'bench-secret',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
}

/**
 * The bot's clock in these benches: 2026-07-31 10:00 in Shanghai, inside the 八一 campaign the
 * visit lines are filed under, as on the busiest days of a township's year. (With the real
 * clock the visits went to a campaign that had ended, whose late-visit progress is read
 * against its frozen due set: docs/performance.md.) The callbacks are sealed at this time too,
 * or the replay window would refuse them.
 */
const BENCH_NOW = new Date('2026-07-31T02:00:00Z')
const benchBot = () =>
  createTestBot({ ...WECOM, ADMIN_USERS: 'wecom:bench' }, { now: () => BENCH_NOW })

/** A bare Koa handler on the same route: the baseline every WeCom path figure is divided by. */
async function bareKoa(seconds: number): Promise<HttpFigure> {
  const bare = new Koa()
  const router = new Router()
  router.post('/webhooks/wecom', (ctx) => {
    ctx.body = 'ok'
  })
  bare.use(router.routes())
  return loadHttp(bare, [{ method: 'POST', path: '/webhooks/wecom', body: '<xml/>' }], { seconds })
}

/** `count` WeCom text callbacks from user `bench`, each with a fresh MsgId, sealed ahead. */
function sealedCallbacks(count: number, textFor: (i: number) => string): BenchRequest[] {
  const timestamp = String(Math.floor(BENCH_NOW.getTime() / 1000))
  return Array.from({ length: count }, (_, i) => {
    const inner = `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[bench]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${textFor(i)}]]></Content><MsgId>${7_000_000_000_000_000_000n + BigInt(i)}</MsgId><AgentID>1000002</AgentID></xml>`
    const req = sealWecomCallback(
      {
        token: WECOM.WECOM_TOKEN,
        encodingAesKey: WECOM.WECOM_ENCODING_AES_KEY,
        corpId: WECOM.WECOM_CORP_ID,
      },
      inner,
      { timestamp },
    )
    const query = new URLSearchParams(req.query as Record<string, string>).toString()
    return {
      method: 'POST' as const,
      path: `/webhooks/wecom?${query}`,
      headers: { 'content-type': 'text/xml' },
      body: req.rawBody.toString('utf8'),
    }
  })
}

function figureLine(
  name: string,
  full: HttpFigure,
  baseline: HttpFigure,
  baselineName = 'bare koa',
): string {
  const wrapped = full.reused ? ' [ids reused: dedupe path included]' : ''
  const failed =
    full.errors + full.non2xx > 0 ? ` [${full.errors} errors, ${full.non2xx} non-2xx]` : ''
  return benchLine(
    name,
    `${Math.round(full.requestsPerSecond)} req/s p50 ${full.p50Ms} ms p99 ${full.p99Ms} ms at 32 connections, ${Math.round(full.cpuPerRequestUs)} µs CPU/req${wrapped}${failed}`,
    `${baselineName} ${Math.round(baseline.requestsPerSecond)} req/s p99 ${baseline.p99Ms} ms, ${Math.round(baseline.cpuPerRequestUs)} µs CPU/req`,
    full.requestsPerSecond / baseline.requestsPerSecond,
  )
}

/**
 * Loads the full WeCom path (signature, decrypt, XML, dedupe, role, command, store,
 * encrypted passive reply) with messages `textFor(i)` from user `bench`, each with a fresh
 * MsgId sealed ahead so the client's crypto is not timed, after `seed` ran on the bot.
 */
export async function benchWecomPath(
  name: string,
  seconds: number,
  textFor: (i: number) => string,
  seed: (t: TestBot) => Promise<void> = async () => {},
): Promise<string[]> {
  const baseline = await bareKoa(seconds)
  const t = await benchBot()
  try {
    await seed(t)
    const count = Math.ceil(baseline.requestsPerSecond * (seconds + WARMUP_SECONDS) * 0.6) + 1000
    const full = await loadHttp(t.bot.app, sealedCallbacks(count, textFor), { seconds })
    return [figureLine(name, full, baseline)]
  } finally {
    await t.cleanup()
  }
}

/**
 * The WeCom protocol alone on the same route: signature, decrypt, both XML documents and an
 * encrypted passive reply of a visit's length, with no Redis and no command. No path that
 * does any work can beat this figure, so it is the ceiling for the write path's ratio.
 */
export async function benchWecomProtocolFloor(seconds: number): Promise<string[]> {
  const baseline = await bareKoa(seconds)
  const t = await benchBot()
  try {
    const adapter = t.bot.adapters.get('wecom')!
    const floor = new Koa()
    const router = new Router()
    router.post('/webhooks/wecom', async (ctx) => {
      const message = await adapter.receive(await toRawWebhook(ctx))
      const response = await adapter.respond(message!, [{ text: CANNED_VISIT_REPLY }])
      ctx.status = response.status
      ctx.type = response.contentType ?? 'text/plain'
      ctx.body = response.body
    })
    floor.use(router.routes())
    const count = Math.ceil(baseline.requestsPerSecond * (seconds + WARMUP_SECONDS) * 0.6) + 1000
    const full = await loadHttp(floor, sealedCallbacks(count, visitLine), { seconds })
    return [figureLine('wecom-protocol-floor', full, baseline)]
  } finally {
    await t.cleanup()
  }
}

const CANNED_VISIT_REPLY =
  '已登记 #201：2026-07-28 八一走访 铁炉嘴村 赵明（在乡复员军人）\n慰问金 500 元；物品 米1袋\n' +
  '铁炉嘴村八一走访进度 1/200 户。撤销请回复「撤销 #201」'

/** The WeCom 帮助 path against bare Koa (issue 2). */
export function benchWecomHelp(seconds: number): Promise<string[]> {
  return benchWecomPath('wecom-help-path', seconds, () => '帮助')
}

// 2,000 distinct names with no digit or numeral in them, so nothing reads as a date or amount.
const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许'
const GIVEN = '明华强军伟芳娜敏静丽'
const PEOPLE = SURNAMES.length * GIVEN.length * GIVEN.length
const personName = (i: number) =>
  `${SURNAMES[Math.floor(i / GIVEN.length ** 2) % SURNAMES.length]}${GIVEN[Math.floor(i / GIVEN.length) % GIVEN.length]}${GIVEN[i % GIVEN.length]}`

// Every request a new record, never a same-day repeat (which is held for 「确认」): one of the
// 八一 campaign's 15 days per round of the roster.
const visitLine = (i: number) =>
  `走访 ${personName(i % PEOPLE)} 2026-07-${String(18 + (Math.floor(i / PEOPLE) % 14)).padStart(2, '0')} 八一 慰问金500元 米一袋`

// A family is paid once a year without 「确认」: one year per round of the roster.
const PAYMENT_YEARS = 20
const paymentLine = (i: number) =>
  `发放优待金 ${personName(i % PEOPLE)} ${2026 - (Math.floor(i / PEOPLE) % PAYMENT_YEARS)}-07-20`

/**
 * The WeCom one-line allowance payment path, a new payment per request, against bare Koa
 * (issue 11: two round trips, like a visit).
 */
export function benchWecomPayment(seconds: number): Promise<string[]> {
  return benchWecomPath('wecom-payment-write-path', seconds, paymentLine, seedPaymentRoster)
}

/** The WeCom one-line visit path, a new record per request, against bare Koa (issue 3). */
export function benchWecomVisit(seconds: number): Promise<string[]> {
  return benchWecomPath('wecom-visit-write-path', seconds, visitLine, seedVisitRoster)
}

const seedMeta = (key: string) => ({ actor: 'wecom:bench', at: BENCH_NOW, idempotencyKey: key })

// As a township's roster holds them: every person with a phone and an ID number, stored
// sealed (AES-GCM), so what reading a person costs is measured as deployed.
const contactOf = (p: number) => ({
  phone: `139${String(10_000_000 + p)}`,
  idNumber: `3201021950${String(100_000_000 + p).slice(1)}`,
})

async function seedVisitRoster(t: TestBot): Promise<void> {
  await t.bot.services.villages.addVillage('铁炉嘴村', seedMeta('v'))
  for (let p = 0; p < PEOPLE; p++) {
    await t.bot.services.people.addPerson(
      { name: personName(p), village: '铁炉嘴村', category: '在乡复员军人', ...contactOf(p) },
      seedMeta(`p${p}`),
    )
  }
}

async function seedPaymentRoster(t: TestBot): Promise<void> {
  const s = t.bot.services
  await s.villages.addVillage('铁炉嘴村', seedMeta('v'))
  for (let y = 0; y < PAYMENT_YEARS; y++) {
    await s.allowances.setAllowanceStandard(
      2026 - y,
      { mode: 'unified', fen: 580_000 },
      seedMeta(`s${y}`),
    )
  }
  for (let p = 0; p < PEOPLE; p++) {
    await s.people.addPerson(
      {
        name: personName(p),
        village: '铁炉嘴村',
        category: '义务兵家庭',
        householdType: '农村',
        ...contactOf(p),
      },
      seedMeta(`p${p}`),
    )
  }
}

/**
 * The visit and payment write paths against the minimal WeCom protocol floor measured in the
 * same run (wecom-minimal-floor.ts): the share of a request the bot's own work leaves. The
 * floor runs before and after each path and the path is compared with their mean: on this
 * shared machine the speed drifts over a run, and a floor measured once at the start made the
 * later path look better or worse by as much as the change being measured.
 */
export async function benchWritePathsVsMinimalFloor(seconds: number): Promise<string[]> {
  const env = {
    WECOM_TOKEN: WECOM.WECOM_TOKEN,
    WECOM_ENCODING_AES_KEY: WECOM.WECOM_ENCODING_AES_KEY,
    WECOM_CORP_ID: WECOM.WECOM_CORP_ID,
  }
  const floorRequests = sealedCallbacks(Math.ceil(5000 * (seconds + WARMUP_SECONDS)), visitLine)
  const floorRun = () => minimalWecomFloor(seconds, env, floorRequests, CANNED_VISIT_REPLY)
  let before = await floorRun()
  const out: string[] = []
  const cases: [string, (i: number) => string, (t: TestBot) => Promise<void>][] = [
    ['wecom-visit-vs-minimal-floor', visitLine, seedVisitRoster],
    ['wecom-payment-vs-minimal-floor', paymentLine, seedPaymentRoster],
  ]
  for (const [name, textFor, seed] of cases) {
    const t = await benchBot()
    try {
      await seed(t)
      const count = Math.ceil(before.requestsPerSecond * (seconds + WARMUP_SECONDS) * 0.6) + 1000
      const full = await loadHttp(t.bot.app, sealedCallbacks(count, textFor), { seconds })
      const after = await floorRun()
      out.push(figureLine(name, full, meanFigure(before, after), 'minimal protocol floor'))
      before = after
    } finally {
      await t.cleanup()
    }
  }
  return out
}

/** Two runs of one baseline as one: the mean of their rates, CPU and p99. */
function meanFigure(a: HttpFigure, b: HttpFigure): HttpFigure {
  const mean = (x: number, y: number) => (x + y) / 2
  return Object.assign({}, a, {
    requestsPerSecond: mean(a.requestsPerSecond, b.requestsPerSecond),
    p50Ms: mean(a.p50Ms, b.p50Ms),
    p99Ms: mean(a.p99Ms, b.p99Ms),
    cpuPerRequestUs: mean(a.cpuPerRequestUs, b.cpuPerRequestUs),
  })
}

/**
 * The visit or payment path under load as its bench runs it, with `hooks` around the load
 * alone (seeding and sealing excluded): profile-path.ts profiles with it.
 */
export async function benchWecomPathProfiled(
  path: 'visit' | 'payment',
  seconds: number,
  hooks: { start: () => Promise<unknown>; stop: () => Promise<unknown> },
): Promise<string> {
  const [textFor, seed] =
    path === 'payment' ? [paymentLine, seedPaymentRoster] : [visitLine, seedVisitRoster]
  const t = await benchBot()
  try {
    await seed(t)
    const requests = sealedCallbacks(Math.ceil(3000 * (seconds + WARMUP_SECONDS)), textFor)
    await hooks.start()
    const full = await loadHttp(t.bot.app, requests, { seconds })
    await hooks.stop()
    return `${path}: ${Math.round(full.requestsPerSecond)} req/s, p99 ${full.p99Ms} ms, ${Math.round(full.cpuPerRequestUs)} µs CPU/req (under the profiler)`
  } finally {
    await t.cleanup()
  }
}
