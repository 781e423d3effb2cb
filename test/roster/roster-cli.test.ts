import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  EXIT_OK,
  EXIT_USAGE,
  ROSTER_USAGE,
  parseRosterArgs,
  runRosterCli,
} from '../../src/cli/roster.js'
import { useTestRedis } from '../support/redis.js'
import { rosterDeps, useTempDir } from './support.js'

let t: Awaited<ReturnType<typeof useTestRedis>>
let tmp: ReturnType<typeof useTempDir>
let deps: ReturnType<typeof rosterDeps>

beforeEach(async () => {
  t = await useTestRedis()
  tmp = useTempDir()
  deps = rosterDeps(t.redis, t.keys, tmp.dir)
})

afterEach(async () => {
  await t.cleanup()
  tmp.remove()
})

describe('runRosterCli usage', () => {
  it.each([
    [[], '请写明 import 或 export。'],
    [['frobnicate'], '不认识的子命令「frobnicate」。'],
    [['import'], '请写上要导入的文件，如 花名册.xlsx。'],
    [['import', 'a.xlsx', 'b.xlsx'], '多余的参数：b.xlsx'],
    [['import', 'old.xls'], '不支持旧版 .xls 文件'],
    [['import', 'roster.txt'], '只能导入 .xlsx 或 .csv 文件'],
    [['import', 'a.csv', '--reveal'], '--reveal 只用于 export。'],
    [['export', '--skip-invalid'], '--skip-invalid 和 --dry-run 只用于 import。'],
    [['export', 'out.csv'], '导出文件须以 .xlsx 结尾'],
    [['export', '--bogus'], '参数不对：'],
  ])('for %j exits 2 and explains, with the usage', async (argv, message) => {
    const code = await runRosterCli(argv, deps)

    expect(code).toBe(EXIT_USAGE)
    expect(deps.lines.err[0]).toContain(message)
    expect(deps.lines.err[1]).toBe(ROSTER_USAGE)
  })

  it('for --help prints the usage and exits 0', async () => {
    const code = await runRosterCli(['--help'], deps)

    expect(code).toBe(EXIT_OK)
    expect(deps.lines.out).toEqual([ROSTER_USAGE])
  })

  it('parseRosterArgs when given import flags reads them', () => {
    expect(parseRosterArgs(['import', '花名册.CSV', '--dry-run', '--skip-invalid'])).toEqual({
      kind: 'import',
      file: '花名册.CSV',
      skipInvalid: true,
      dryRun: true,
    })
  })
})
