import { spawnSync } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEMO_USAGE, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, runDemoCli } from '../../src/cli/demo.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'

const NOW = new Date('2026-12-02T02:00:00Z')

describe('npm run demo (issue 12, part 7)', () => {
  let t: TestBot
  let lines: { out: string[]; err: string[] }
  const run = (argv: string[] = []) =>
    runDemoCli(argv, {
      services: t.bot.services,
      now: () => NOW,
      operator: 'cli:tester',
      sandboxUrl: 'http://localhost:3000/sandbox',
      firstUserIsAdmin: true,
      out: (l) => lines.out.push(l),
      err: (l) => lines.err.push(l),
    })

  beforeEach(async () => {
    t = await createTestBot({}, { now: () => NOW })
    lines = { out: [], err: [] }
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when the install is empty, loads the township, says where to try it and exits 0', async () => {
    const code = await run()

    expect(code).toBe(EXIT_OK)
    expect(lines.out[0]).toBe('已载入示范镇（2026 年）：')
    expect(lines.out.at(-1)).toBe(
      '打开 http://localhost:3000/sandbox 试用；第一个发消息的用户成为管理员。',
    )
    expect(await t.bot.services.people.listPeople()).toHaveLength(77)
  })

  it('when the first sandbox user writes after it, they become administrator; the demo leader keeps the role', async () => {
    await run()

    const [welcome] = await say(t, 'admin', '帮助')
    const [tally] = await say(t, '王书记', '统计 八一')

    expect(welcome).toMatch(/^您是第一位用户，已设为管理员/)
    expect(tally).toMatch(/^2026 八一走访/)
  })

  it('when run twice, the second run writes nothing and says so', async () => {
    await run()
    const records = await t.redis.hlen(t.keys.records())
    lines = { out: [], err: [] }

    const code = await run()

    expect(code).toBe(EXIT_OK)
    expect(lines.out[0]).toBe('示范数据已经载入过，没有重复添加。')
    expect(await t.redis.hlen(t.keys.records())).toBe(records)
  })

  it('when the roster has real people, refuses on stderr and exits 1', async () => {
    await t.bot.services.villages.addVillage('东风村', {
      actor: 'cli:tester',
      at: NOW,
      idempotencyKey: 'v1',
    })
    await t.bot.services.people.addPerson(
      { name: '孙大海', village: '东风村', category: '烈士遗属' },
      { actor: 'cli:tester', at: NOW, idempotencyKey: 'p1' },
    )

    const code = await run()

    expect(code).toBe(EXIT_REFUSED)
    expect(lines.err[0]).toBe('镇里已有 1 位优抚对象，未载入示范数据：')
    expect(lines.out).toEqual([])
  })

  it('when given an argument, explains and exits 2 without writing', async () => {
    const code = await run(['--force'])

    expect(code).toBe(EXIT_USAGE)
    expect(lines.err).toEqual(['参数不对：npm run demo 不需要参数，收到「--force」。', DEMO_USAGE])
    expect(await t.bot.services.people.listPeople()).toEqual([])
  })
})

describe('the demo script', () => {
  it('when run with a bad argument, exits 2 with the usage before touching Redis', () => {
    const result = spawnSync('npx', ['tsx', 'src/cli/demo.ts', '--bogus'], {
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1' },
      timeout: 60_000,
    })

    expect(result.status).toBe(EXIT_USAGE)
    expect(result.stderr).toContain('用法：npm run demo')
  }, 90_000)
})
