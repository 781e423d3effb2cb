import { spawnSync } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  EXIT_DRIFT,
  EXIT_OK,
  EXIT_USAGE,
  RECONCILE_USAGE,
  runReconcileCli,
} from '../../src/cli/reconcile.js'
import { Reconciler } from '../../src/records/reconciler.js'
import { TallyFields } from '../../src/records/tally-fields.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { CONSCRIPTS, payAll, seedTown, visit } from '../support/town.js'

describe('npm run reconcile (issue 4)', () => {
  let t: TestBot
  let lines: { out: string[]; err: string[] }
  const run = (argv: string[]) =>
    runReconcileCli(argv, {
      reconciler: new Reconciler({ redis: t.redis, keys: t.keys }),
      keys: t.keys,
      out: (l) => lines.out.push(l),
      err: (l) => lines.err.push(l),
    })

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
    lines = { out: [], err: [] }
    const town = await seedTown(t)
    await payAll(t, town, 2026, CONSCRIPTS)
    await visit(t, town, '张三', { needs: '危房需修缮' })
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when the counters equal a recount from the records, says so and exits 0', async () => {
    const code = await run([])

    expect(code).toBe(EXIT_OK)
    expect(lines.out).toHaveLength(1)
    expect(lines.out[0]).toMatch(/^对账：读取记录 \d+ 条，核对计数 [\d,]+ 项，全部一致。$/)
  })

  it('when a counter drifted, reports it and exits 1 without --fix, then repairs it with --fix', async () => {
    const tally = t.keys.allowanceTally(2026)
    await t.redis.hincrby(tally, TallyFields.allowance.sumFen('新街社区', '城镇'), 100)

    const report = await run([])
    const reported = [...lines.err]
    lines = { out: [], err: [] }
    const fixed = await run(['--fix'])
    const after = await run([])

    expect(report).toBe(EXIT_DRIFT)
    expect(reported[0]).toMatch(/发现 1 处不一致：$/)
    const field = TallyFields.allowance.sumFen('新街社区', '城镇')
    expect(reported[1]).toBe(
      `  ${tally.slice(t.keys.base.length)}  ${field}  存储 3440100，按记录应为 3440000`,
    )
    expect(reported[2]).toBe('未修复。核对后运行 npm run reconcile -- --fix 按记录重算值写回。')
    expect(fixed).toBe(EXIT_OK)
    expect(lines.out).toContain('已修复：1 处已按记录重算值写回。')
    expect(after).toBe(EXIT_OK)
    expect((await t.bot.services.tallies.readAllowanceTally(2026)).total.sumFen).toBe(7_480_000)
  })

  it('when given an unknown option, explains and exits 2', async () => {
    const code = await run(['--fixx'])

    expect(code).toBe(EXIT_USAGE)
    expect(lines.err[0]).toMatch(/^参数不对：/)
    expect(lines.err[1]).toBe(RECONCILE_USAGE)
  })
})

describe('the reconcile script', () => {
  it('when run with a bad argument, exits 2 with the usage before touching Redis', () => {
    const result = spawnSync('npx', ['tsx', 'src/cli/reconcile.ts', '--bogus'], {
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1' },
    })

    expect(result.status).toBe(EXIT_USAGE)
    expect(result.stderr).toContain('npm run reconcile -- --fix')
  })
})
