import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EXIT_INVALID, EXIT_OK, runRosterCli } from '../../src/cli/roster.js'
import type { Person } from '../../src/records/schemas.js'
import { useTestRedis } from '../support/redis.js'
import { idNumber, NOW, rosterDeps, useTempDir, writeXlsx, type CellInput } from './support.js'

const HEADER = [
  '姓名',
  '村（社区）',
  '类别',
  '残疾等级',
  '户口类型',
  '入伍时间',
  '入伍批次',
  '电话',
  '身份证号',
  '备注',
]
const ZHANG_ID = idNumber('32010219600101123')
const WANG_ID = idNumber('32010220050301456')

/** Three good rows: a registered village, a new one written without its committee suffix. */
const GOOD_ROWS: CellInput[][] = [
  [
    '张三',
    '铁炉嘴村',
    '残疾军人',
    '二等乙级',
    null,
    null,
    null,
    '13800001111',
    ZHANG_ID,
    '腿脚不便',
  ],
  ['李四', '铁炉嘴', '烈属', null, null, null, null, null, null, null],
  [
    '王五',
    '城关社区居委会',
    '义务兵家庭',
    null,
    '城镇',
    new Date(Date.UTC(2025, 8, 1)),
    '秋季',
    '13900002222',
    WANG_ID,
    null,
  ],
]

let t: Awaited<ReturnType<typeof useTestRedis>>
let tmp: ReturnType<typeof useTempDir>
let deps: ReturnType<typeof rosterDeps>

beforeEach(async () => {
  t = await useTestRedis()
  tmp = useTempDir()
  deps = rosterDeps(t.redis, t.keys, tmp.dir)
  await deps.villages.addVillage('铁炉嘴村', {
    actor: 'cli:tester',
    at: NOW,
    idempotencyKey: 'setup-village',
  })
})

afterEach(async () => {
  await t.cleanup()
  tmp.remove()
})

async function rosterFile(rows: CellInput[][], name = 'roster.xlsx'): Promise<string> {
  await writeXlsx(join(tmp.dir, name), [HEADER, ...rows])
  return name
}

function summary(person: Person) {
  const { id: _id, createdAt: _at, createdBy: _by, ...rest } = person
  return rest
}

describe('roster import', () => {
  it('when every row of an xlsx is valid imports them all and registers the new village', async () => {
    const file = await rosterFile(GOOD_ROWS)

    const code = await runRosterCli(['import', file], deps)

    expect(code).toBe(EXIT_OK)
    const people = await deps.people.listPeople()
    expect(people.map(summary)).toEqual([
      {
        kind: 'person',
        status: 'active',
        name: '张三',
        village: '铁炉嘴村',
        category: '残疾军人',
        disability: { legacyLabel: '二等乙级' },
        phoneMasked: '138****1111',
        idNumberMasked: `${ZHANG_ID.slice(0, 4)}**********${ZHANG_ID.slice(-4)}`,
        notes: '腿脚不便',
      },
      {
        kind: 'person',
        status: 'active',
        name: '李四',
        village: '铁炉嘴村',
        category: '烈士遗属',
      },
      {
        kind: 'person',
        status: 'active',
        name: '王五',
        village: '城关社区',
        category: '义务兵家庭',
        householdType: '城镇',
        enlistedAt: '2025-09-01',
        cohort: '9-1',
        phoneMasked: '139****2222',
        idNumberMasked: `${WANG_ID.slice(0, 4)}**********${WANG_ID.slice(-4)}`,
      },
    ])
    // The township's order: 铁炉嘴村 was registered before the file, 城关社区 by it.
    expect(await deps.villages.listVillages()).toEqual(['铁炉嘴村', '城关社区'])
    expect(deps.lines.out).toContain('新登记村（社区）1 个：城关社区')
    expect(deps.lines.out.join('\n')).toContain('读取 3 行，导入 3 行')
  })

  it('when rows carry phone and ID numbers stores them encrypted, readable through revealPii', async () => {
    const file = await rosterFile(GOOD_ROWS)

    await runRosterCli(['import', file], deps)

    const [zhang] = await deps.people.findPeopleByName('张三')
    expect(await deps.people.revealPii(zhang!.id)).toEqual({
      phone: '13800001111',
      idNumber: ZHANG_ID,
    })
    const stored = Object.values(await t.redis.hgetall(t.keys.records())).join('\n')
    expect(stored).toContain('张三')
    expect(stored).not.toContain(ZHANG_ID)
    expect(stored).not.toContain('13800001111')
  })

  it('when one row is invalid imports nothing and reports the row number and reason', async () => {
    const file = await rosterFile([...GOOD_ROWS, ['赵六', '铁炉嘴村', '烈属属']])

    const code = await runRosterCli(['import', file], deps)

    expect(code).toBe(EXIT_INVALID)
    expect(deps.lines.err[0]).toMatch(/^第 5 行：类别「烈属属」不认识，可用：残疾军人、烈士遗属、/)
    expect(deps.lines.err.at(-1)).toContain('未导入任何数据')
    expect(await deps.people.listPeople()).toEqual([])
    expect(await deps.villages.listVillages()).toEqual(['铁炉嘴村'])
  })

  it('when rows are invalid in several ways names each problem on its row', async () => {
    const file = await rosterFile([
      ['', '铁炉嘴村', '烈属'],
      ['赵六', '不存在', '烈属', '七等'],
      ['钱七', '铁炉嘴村', '军属', null, '半农', '2019.13.40', '冬季'],
      ['孙八', '铁炉嘴村', '军属', null, null, null, null, '12345', ZHANG_ID.slice(0, 17) + 'Y'],
      ['周九', '铁炉嘴村', '军属', null, null, null, null, '138****1111', '3201**********1234'],
    ])

    await runRosterCli(['import', file], deps)

    const report = deps.lines.err.join('\n')
    expect(report).toContain('第 2 行：姓名为空')
    expect(report).toContain('第 3 行：村（社区）「不存在」不认识')
    expect(report).toContain('残疾等级「七等」不认识')
    expect(report).toContain('第 4 行：户口类型「半农」不认识，请填 农村 或 城镇')
    expect(report).toContain('入伍时间「2019.13.40」不是完整日期')
    expect(report).toContain('入伍批次「冬季」不认识')
    expect(report).toMatch(
      /第 5 行：电话号码格式不对.*「12345」.*；身份证号 …\d{3}Y 里有数字以外的字符/,
    )
    expect(report).toContain('第 6 行：电话「138****1111」是打码的')
    expect(report).toContain('身份证号「3201**********1234」是打码的')
  })

  it('when an 18-digit ID number was saved as a number explains that Excel lost its digits', async () => {
    const file = await rosterFile([
      ['张三', '铁炉嘴村', '残疾军人', null, null, null, null, null, 320102196001011200],
    ])

    await runRosterCli(['import', file], deps)

    expect(deps.lines.err[0]).toContain('第 2 行：身份证号被 Excel 存成了数字')
  })

  it('when two rows share an ID number or one has a wrong check digit refuses them', async () => {
    const wrongCheck = ZHANG_ID.slice(0, 17) + (ZHANG_ID.endsWith('1') ? '2' : '1')
    const file = await rosterFile([
      ['张三', '铁炉嘴村', '残疾军人', null, null, null, null, null, ZHANG_ID],
      ['张三', '铁炉嘴村', '残疾军人', null, null, null, null, null, ZHANG_ID],
      ['李四', '铁炉嘴村', '烈属', null, null, null, null, null, wrongCheck],
    ])

    await runRosterCli(['import', file], deps)

    expect(deps.lines.err).toContain('第 3 行：身份证号与第 2 行相同')
    expect(deps.lines.err).toContain(
      `第 4 行：身份证号 …${wrongCheck.slice(-4)} 校验位不对（按前 17 位应为 ${ZHANG_ID.at(-1)}），多半是抄错了一位，请核对`,
    )
  })

  it('when an ID number has a check digit that fits but no real birth date refuses it (issue 11)', async () => {
    const file = await rosterFile([
      ['张三', '铁炉嘴村', '残疾军人', null, null, null, null, null, idNumber('32010219891301123')],
      ['李四', '铁炉嘴村', '烈属', null, null, null, null, null, idNumber('32010220230230123')],
      ['王五', '铁炉嘴村', '烈属', null, null, null, null, null, idNumber('32010220990101123')],
    ])

    await runRosterCli(['import', file], deps)

    const report = deps.lines.err.join('\n')
    expect(report).toMatch(
      /第 2 行：身份证号 …\d{3}[\dX] 的出生日期（第 7–14 位）不对：没有 13 月，请核对/,
    )
    expect(report).toMatch(
      /第 3 行：身份证号 …\d{3}[\dX] 的出生日期（第 7–14 位）不对：2 月没有 30 日/,
    )
    expect(report).toMatch(/第 4 行：身份证号 …\d{3}[\dX] 的出生日期（第 7–14 位）年份 2099 还没到/)
    expect(report).not.toContain('320102')
    expect(await deps.people.listPeople()).toEqual([])
  })

  it('when a name holds : or | or a direction-override character, or the notes are too long, says which and why', async () => {
    const file = await rosterFile([
      ['张:三', '铁炉嘴村', '烈属'],
      ['李\u202e四', '铁炉嘴村', '烈属'],
      ['王'.repeat(31), '铁炉嘴村', '烈属'],
      ['赵六', '铁炉嘴村', '烈属', null, null, null, null, null, null, '字'.repeat(501)],
    ])

    await runRosterCli(['import', file], deps)

    expect(deps.lines.err).toEqual(
      expect.arrayContaining([
        '第 2 行：姓名「张:三」不能含「:」或「|」：只写姓名，如「张三」',
        expect.stringMatching(/^第 3 行：姓名里有看不见的控制字符/),
        '第 4 行：姓名有 31 个字，最多 30 个字：姓名、村名、类别之间请用空格隔开',
        '第 5 行：备注有 501 个字，最多 500 个字：请精简后重新导入',
      ]),
    )
  })

  it('with --skip-invalid imports the good rows and lists the skipped ones', async () => {
    const file = await rosterFile([...GOOD_ROWS, ['赵六', '铁炉嘴村', '烈属属']])

    const code = await runRosterCli(['import', file, '--skip-invalid'], deps)

    expect(code).toBe(EXIT_OK)
    expect((await deps.people.listPeople()).map((p) => p.name)).toEqual(['张三', '李四', '王五'])
    expect(deps.lines.out[0]).toMatch(/^第 5 行：类别「烈属属」不认识/)
    expect(deps.lines.out.join('\n')).toContain('导入 3 行，跳过有错误的 1 行')
  })

  it('when the same file is imported again adds nobody twice', async () => {
    const file = await rosterFile(GOOD_ROWS)
    await runRosterCli(['import', file], deps)
    deps.lines.out.length = 0

    const code = await runRosterCli(['import', file], deps)

    expect(code).toBe(EXIT_OK)
    expect(await deps.people.listPeople()).toHaveLength(3)
    expect(deps.lines.out.join('\n')).toContain(
      '导入 0 行，跳过有错误的 0 行，重复 0 行，此前已导入 3 行',
    )
  })

  it('when a person with the same ID number is on the roster reports a duplicate, not a new person', async () => {
    await deps.people.addPerson(
      { name: '张三', village: '铁炉嘴村', category: '残疾军人', idNumber: ZHANG_ID },
      { actor: 'cli:tester', at: NOW, idempotencyKey: 'chat-add' },
    )
    const file = await rosterFile(GOOD_ROWS)

    await runRosterCli(['import', file], deps)

    expect(await deps.people.listPeople()).toHaveLength(3)
    const out = deps.lines.out.join('\n')
    expect(out).toMatch(/第 2 行：身份证号已在花名册上（#\d+ 张三，铁炉嘴村），未重复添加/)
    expect(out).toContain('导入 2 行，跳过有错误的 0 行，重复 1 行')
  })

  it('when a row without ID number matches a person by name, village and category skips it as a duplicate', async () => {
    await deps.people.addPerson(
      { name: '李四', village: '铁炉嘴村', category: '烈士遗属' },
      { actor: 'cli:tester', at: NOW, idempotencyKey: 'chat-add' },
    )
    const file = await rosterFile(GOOD_ROWS)

    await runRosterCli(['import', file], deps)

    expect((await deps.people.findPeopleByName('李四')).length).toBe(1)
    expect(deps.lines.out.join('\n')).toMatch(/第 3 行：花名册上已有同村同名同类别的 #\d+ 李四/)
  })

  it('when a row’s phone belongs to someone else on the roster adds the row with a note', async () => {
    await deps.people.addPerson(
      { name: '张山', village: '铁炉嘴村', category: '残疾军人', phone: '13800001111' },
      { actor: 'cli:tester', at: NOW, idempotencyKey: 'chat-add' },
    )
    const file = await rosterFile(GOOD_ROWS)

    await runRosterCli(['import', file], deps)

    expect(await deps.people.listPeople()).toHaveLength(4)
    expect(deps.lines.out.join('\n')).toMatch(
      /第 2 行：电话与花名册上的 #\d+ 张山（铁炉嘴村）相同，请核对是否重复/,
    )
  })

  it('with --dry-run reports what would happen and writes nothing', async () => {
    const file = await rosterFile(GOOD_ROWS)

    const code = await runRosterCli(['import', file, '--dry-run'], deps)

    expect(code).toBe(EXIT_OK)
    expect(await deps.people.listPeople()).toEqual([])
    expect(await deps.villages.listVillages()).toEqual(['铁炉嘴村'])
    expect(deps.lines.out).toContain(
      '试运行（未写入任何数据）：读取 3 行，可导入 3 行，跳过有错误的 0 行，重复 0 行，此前已导入 0 行。',
    )
    expect(deps.lines.out).toContain('将新登记村（社区）1 个：城关社区')
  })

  it('when the sheet has a title row, padded names and unknown columns reads it leniently', async () => {
    await writeXlsx(join(tmp.dir, 'titled.xlsx'), [
      ['某某镇优抚对象花名册'],
      ['序号', ' 姓 名 ', '村(社区)', '优抚类别', '伤残等级', '户籍性质', '入伍年月', '批次'],
      [1, '张  三', '铁炉嘴', '伤残军人', '6级/二等乙级', '农业', '2019.09', '3.1'],
    ])

    const code = await runRosterCli(['import', 'titled.xlsx'], deps)

    expect(code).toBe(EXIT_OK)
    const [person] = await deps.people.listPeople()
    expect(person).toMatchObject({
      name: '张三',
      village: '铁炉嘴村',
      category: '残疾军人',
      disability: { grade: '六级', legacyLabel: '二等乙级' },
      householdType: '农村',
      enlistedAt: '2019-09-01',
      cohort: '3-1',
    })
    expect(deps.lines.out[0]).toBe('未识别的列（已忽略）：序号（第 A 列）')
    expect(deps.lines.out).toContain('第 3 行：入伍时间「2019.09」只有年月，按 2019-09-01 登记')
  })

  it('when a CSV has a BOM and traditional-script headers and values imports it', async () => {
    const csv =
      '\ufeff姓名,村（社區）,類別,電話,身份證號,備註\r\n' +
      `張三,鐵爐嘴村,烈屬,13800001111,${ZHANG_ID},"家屬,住院"\r\n`
    writeFileSync(join(tmp.dir, 'roster.csv'), csv)

    const code = await runRosterCli(['import', 'roster.csv'], deps)

    expect(code).toBe(EXIT_OK)
    const [person] = await deps.people.listPeople()
    expect(person).toMatchObject({
      name: '张三',
      village: '铁炉嘴村',
      category: '烈士遗属',
      notes: '家属,住院',
    })
    expect(await deps.people.revealPii(person!.id)).toEqual({
      phone: '13800001111',
      idNumber: ZHANG_ID,
    })
  })

  it('when a CSV is saved in GBK (Excel on Chinese Windows) decodes it', async () => {
    // 姓名,村,类别 / 张三,铁炉嘴村,烈属 in GBK.
    const gbk = 'D0D5C3FB2CB4E52CC0E0B1F00D0AD5C5C8FD2CCCFAC2AFD7ECB4E52CC1D2CAF40D0A'
    writeFileSync(join(tmp.dir, 'gbk.csv'), Buffer.from(gbk, 'hex'))

    const code = await runRosterCli(['import', 'gbk.csv'], deps)

    expect(code).toBe(EXIT_OK)
    expect((await deps.people.listPeople()).map((p) => p.name)).toEqual(['张三'])
  })

  it('when a CSV has no header row it recognises names the columns and how to save the file', async () => {
    writeFileSync(join(tmp.dir, 'odd.csv'), 'name,village\r\nZhang,Tielu\r\n')

    const code = await runRosterCli(['import', 'odd.csv'], deps)

    expect(code).toBe(EXIT_INVALID)
    expect(deps.lines.err[0]).toContain('表头一行应包含「姓名」「村（社区）」「类别」等列')
    expect(deps.lines.err[0]).toContain('CSV UTF-8（逗号分隔）')
  })

  it('when a required column is missing refuses the file and names the column', async () => {
    await writeXlsx(join(tmp.dir, 'partial.xlsx'), [
      ['姓名', '类别'],
      ['张三', '烈属'],
    ])

    const code = await runRosterCli(['import', 'partial.xlsx'], deps)

    expect(code).toBe(EXIT_INVALID)
    expect(deps.lines.err).toEqual(['第 1 行的表头缺少必填列：「村（社区）」。'])
  })

  it('when a 义务兵姓名 column is present stores the soldier of a conscript family, and names a bad cell (issue 13)', async () => {
    await writeXlsx(join(tmp.dir, 'soldiers.xlsx'), [
      ['姓名', '村（社区）', '类别', '义务兵姓名'],
      ['王五', '铁炉嘴村', '义务兵家庭', '王 小 军'],
      ['赵六', '铁炉嘴村', '义务兵家庭', '王'],
      ['钱七', '铁炉嘴村', '烈士遗属', '钱小明'],
    ])

    await runRosterCli(['import', 'soldiers.xlsx'], deps)
    await writeXlsx(join(tmp.dir, 'good.xlsx'), [
      ['姓名', '村（社区）', '类别', '士兵姓名'],
      ['王五', '铁炉嘴村', '义务兵家庭', '王 小 军'],
    ])
    await runRosterCli(['import', 'good.xlsx'], deps)

    const report = deps.lines.err.join('\n')
    expect(report).toContain('第 3 行：义务兵姓名「王」只有一个字')
    expect(report).toContain('第 4 行：义务兵姓名只填义务兵家庭，这一行的类别是「烈士遗属」')
    expect((await deps.people.listPeople()).map((p) => [p.name, p.soldierName])).toEqual([
      ['王五', '王小军'],
    ])
  })

  it('when the file does not exist says so', async () => {
    const code = await runRosterCli(['import', 'missing.xlsx'], deps)

    expect(code).toBe(EXIT_INVALID)
    expect(deps.lines.err[0]).toBe(`找不到文件：${join(tmp.dir, 'missing.xlsx')}`)
  })
})
