import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EXIT_OK, runRosterCli } from '../../src/cli/roster.js'
import type { Person } from '../../src/records/schemas.js'
import { useTestRedis } from '../support/redis.js'
import { idNumber, NOW, readXlsx, rosterDeps, useTempDir } from './support.js'

const ZHANG_ID = idNumber('32010219600101123')
const WANG_ID = idNumber('32010220050301456')

let t: Awaited<ReturnType<typeof useTestRedis>>
let tmp: ReturnType<typeof useTempDir>
let deps: ReturnType<typeof rosterDeps>

beforeEach(async () => {
  t = await useTestRedis()
  tmp = useTempDir()
  deps = rosterDeps(t.redis, t.keys, tmp.dir)
  const meta = (key: string) => ({ actor: 'cli:tester', at: NOW, idempotencyKey: key })
  // Registered in this order, the township's order the export follows.
  await deps.villages.addVillage('城关社区', meta('v2'))
  await deps.villages.addVillage('铁炉嘴村', meta('v1'))
  await deps.people.addPerson(
    {
      name: '张三',
      village: '铁炉嘴村',
      category: '残疾军人',
      disability: { grade: '六级', legacyLabel: '二等乙级' },
      phone: '13800001111',
      idNumber: ZHANG_ID,
      notes: '腿脚不便',
    },
    meta('p1'),
  )
  await deps.people.addPerson(
    {
      name: '王五',
      village: '城关社区',
      category: '义务兵家庭',
      householdType: '城镇',
      enlistedAt: '2025-09-01',
      cohort: '9-1',
      soldierName: '王小军',
      phone: '13900002222',
      idNumber: WANG_ID,
    },
    meta('p2'),
  )
  await deps.people.addPerson(
    { name: '李四', village: '铁炉嘴村', category: '烈士遗属' },
    meta('p3'),
  )
})

afterEach(async () => {
  await t.cleanup()
  tmp.remove()
})

function withoutHeader(person: Person) {
  const { id: _id, createdAt: _at, createdBy: _by, ...rest } = person
  return rest
}

describe('roster export', () => {
  it('by default writes every person by village with phone and ID numbers masked', async () => {
    const code = await runRosterCli(['export', 'out.xlsx'], deps)

    expect(code).toBe(EXIT_OK)
    const rows = await readXlsx(join(tmp.dir, 'out.xlsx'))
    expect(rows).toEqual([
      [
        '姓名',
        '村（社区）',
        '类别',
        '残疾等级',
        '户口类型',
        '入伍时间',
        '入伍批次',
        '义务兵姓名',
        '电话',
        '身份证号',
        '备注',
      ],
      [
        '王五',
        '城关社区',
        '义务兵家庭',
        '',
        '城镇',
        '2025-09-01',
        '9-1',
        '王小军',
        '139****2222',
        `${WANG_ID.slice(0, 4)}**********${WANG_ID.slice(-4)}`,
      ],
      [
        '张三',
        '铁炉嘴村',
        '残疾军人',
        '六级/二等乙级',
        '',
        '',
        '',
        '',
        '138****1111',
        `${ZHANG_ID.slice(0, 4)}**********${ZHANG_ID.slice(-4)}`,
        '腿脚不便',
      ],
      ['李四', '铁炉嘴村', '烈士遗属'],
    ])
    expect(deps.lines.out).toEqual([
      `已导出 3 人（2 个村/社区）到 ${join(tmp.dir, 'out.xlsx')}`,
      '电话、身份证号已打码；需要完整号码请加 --reveal。',
    ])
  })

  it('with --reveal writes clear numbers to an owner-only file and warns once', async () => {
    const code = await runRosterCli(['export', 'clear.xlsx', '--reveal'], deps)

    expect(code).toBe(EXIT_OK)
    const rows = await readXlsx(join(tmp.dir, 'clear.xlsx'))
    expect(rows[2]!.slice(8, 10)).toEqual(['13800001111', ZHANG_ID])
    expect(statSync(join(tmp.dir, 'clear.xlsx')).mode & 0o777).toBe(0o600)
    expect(deps.lines.err).toHaveLength(1)
    expect(deps.lines.err[0]).toContain('含完整的身份证号和电话（个人信息）')
  })

  it('without a file name writes 花名册-<today>.xlsx in the working directory', async () => {
    await runRosterCli(['export'], deps)

    expect((await readXlsx(join(tmp.dir, '花名册-2027-07-10.xlsx'))).length).toBe(4)
  })

  it('when a revealed export is imported under a fresh prefix gives the same people', async () => {
    await runRosterCli(['export', 'round.xlsx', '--reveal'], deps)
    const fresh = await useTestRedis()
    try {
      const target = rosterDeps(fresh.redis, fresh.keys, tmp.dir)

      const code = await runRosterCli(['import', 'round.xlsx'], target)

      expect(code).toBe(EXIT_OK)
      const before = await deps.people.listPeople()
      const after = await target.people.listPeople()
      expect(after.map(withoutHeader)).toEqual(before.map(withoutHeader))
      const [zhang] = await target.people.findPeopleByName('张三')
      expect(await target.people.revealPii(zhang!.id)).toEqual({
        phone: '13800001111',
        idNumber: ZHANG_ID,
      })
      expect(await target.villages.listVillages()).toEqual(['城关社区', '铁炉嘴村'])
    } finally {
      await fresh.cleanup()
    }
  })

  it('when a masked export is imported back refuses the masked numbers by row', async () => {
    await runRosterCli(['export', 'masked.xlsx'], deps)
    const fresh = await useTestRedis()
    try {
      const target = rosterDeps(fresh.redis, fresh.keys, tmp.dir)

      await runRosterCli(['import', 'masked.xlsx'], target)

      expect(target.lines.err[0]).toMatch(
        /^第 2 行：电话「139\*\*\*\*2222」是打码的（导出时没加 --reveal）/,
      )
      expect(await target.people.listPeople()).toEqual([])
    } finally {
      await fresh.cleanup()
    }
  })
})
