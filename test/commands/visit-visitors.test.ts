import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { displayWidth } from '../../src/replies/display-width.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { linkedSheetRows } from '../support/export-sheets.js'
import { seedTown } from '../support/town.js'

// 2026-07-29 10:00 in Asia/Shanghai: inside the 八一 campaign.
const NOW = new Date('2026-07-29T02:00:00Z')
const PUBLIC_URL = 'https://bot.example.gov.cn'

/** The record a reply names (#N). */
const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

/** The reply's 陪同 lines: each on its own, each fitting a phone (40 columns, CJK 2). */
function alongLines(reply: string | undefined): string[] {
  const lines = (reply ?? '').split('\n').filter((l) => l.startsWith('陪同：'))
  for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(40)
  return lines
}

/** The 走访台账 sheet of a 导出 台账 reply, its rows from the column headers down. */
const ledgerRows = (t: TestBot, reply: string) => linkedSheetRows(t, reply, '走访台账 2026年', 3)

describe('who went along on a visit (走访人, 陪同) are its visitors', () => {
  let t: TestBot

  const record = (id: number) => t.bot.services.records.getRecord(id)
  const anyVisit = async () => (await say(t, 'admin', '记录 #1'))[0]

  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin', PUBLIC_URL, TOWNSHIP_NAME: '铁炉镇' },
      { now: () => NOW },
    )
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['走访 李一 今天 八一 走访人 李书记 王主任', ['李书记', '王主任']],
    ['走访 李一 今天 八一 陪同 张主任', ['张主任']],
    ['走访 李一 今天 八一 陪同人员：张主任、王主任', ['张主任', '王主任']],
    ['走访 李一 陪同 李书记 今天 八一 慰问金300元', ['李书记']],
  ])('「%s」: stored after the sender, said on a 陪同 line', async (text, along) => {
    const [reply] = await say(t, 'li', text)

    expect(reply).toMatch(/^已登记 #\d+：.*李一（义务兵家庭）/)
    expect(alongLines(reply)).toEqual([`陪同：${along.join('、')}`])
    expect(reply).not.toContain('备注')
    expect(await record(idOf(reply))).toMatchObject({
      visitors: ['li', ...along],
      notes: undefined,
    })
  })

  it('查看 lists a long 走访人 list on lines that fit a phone', async () => {
    const along = ['欧阳书记', '司马主任', '诸葛委员', '上官干事', '东方站长', '慕容队长']
    const [reply] = await say(t, 'li', `走访 李一 今天 八一 陪同 ${along.join('、')}`)

    const [shown] = await say(t, 'li', `查看 #${idOf(reply)}`)
    const lines = shown!.split('\n')
    const from = lines.findIndex((l) => l.startsWith('走访人 '))

    expect(lines.slice(from).join('')).toContain(`走访人 li、${along.join('、')}`)
    for (const line of lines.slice(from)) expect(displayWidth(line), line).toBeLessThanOrEqual(40)
  })

  it('统计 今天 names who logged it, not those who went along', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 陪同 张主任')

    const [today] = await say(t, 'boss', '统计 今天')

    expect(today).toContain(`#${idOf(reply)} 铁炉嘴村 李一 八一，li登记`)
    expect(today).not.toContain('张主任')
  })

  it('a visit with nobody along says no 陪同 and keeps the sender alone', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一')

    expect(alongLines(reply)).toEqual([])
    expect(await record(idOf(reply))).toMatchObject({ visitors: ['li'] })
  })

  it('a need written with them opens a 待办 without their names', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 陪同 张主任 需求 房屋漏雨需修缮')
    const [todo] = await say(t, 'li', '待办')

    expect(reply).toContain('需求：房屋漏雨需修缮（已记为待办）')
    expect(alongLines(reply)).toEqual(['陪同：张主任'])
    expect(await record(idOf(reply))).toMatchObject({
      needs: '房屋漏雨需修缮',
      visitors: ['li', '张主任'],
    })
    expect(todo).toContain('房屋漏雨需修缮')
    expect(todo).not.toContain('张主任')
    expect(todo).not.toContain('陪同')
  })

  it('the 备注 keeps what else the line said, without them', async () => {
    const [reply] = await say(
      t,
      'li',
      '走访 李一 今天 八一 米一袋 慰问品价值300元 陪同 张主任 备注 身体健康',
    )

    expect(await record(idOf(reply))).toMatchObject({
      notes: '身体健康；慰问品价值300元',
      visitors: ['li', '张主任'],
    })
  })

  it('each name is stored once, the sender’s own too', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 陪同 张主任 li 张主任')

    expect(alongLines(reply)).toEqual(['陪同：张主任'])
    expect(await record(idOf(reply))).toMatchObject({ visitors: ['li', '张主任'] })
  })

  it('the sender’s name on their binding leads the visitors', async () => {
    await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴村 李明')
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 陪同 李明 张主任')

    expect(alongLines(reply)).toEqual(['陪同：张主任'])
    expect(await record(idOf(reply))).toMatchObject({ visitors: ['李明', '张主任'] })
  })

  it('查看 #N names them on its 走访人 line', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 走访人 李书记 王主任')
    const [shown] = await say(t, 'li', `查看 #${idOf(reply)}`)

    expect(shown!.split('\n')).toContain('走访人 li、李书记、王主任')
  })

  it('a long list of them is wrapped to the phone', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `干部${'甲乙丙丁戊己庚辛壬癸子丑'[i]}某`)
    const [reply] = await say(t, 'li', `走访 李一 今天 八一 陪同 ${names.join(' ')}`)

    const lines = alongLines(reply)
    expect(lines.length).toBe(1)
    const all = reply!.split('\n')
    const at = all.indexOf(lines[0]!)
    // Up to the progress line, which follows the visit's own lines.
    const end = all.findIndex((l) => l.includes('走访进度'))
    const wrapped = all.slice(at, end)
    expect(wrapped.length).toBeGreaterThan(1)
    for (const line of wrapped) expect(displayWidth(line), line).toBeLessThanOrEqual(40)
    expect(wrapped.join('')).toContain(names.join('、'))
    expect(await record(idOf(reply))).toMatchObject({ visitors: ['li', ...names] })
  })

  it('a name longer than a record holds is refused, nothing stored', async () => {
    const [reply] = await say(t, 'li', `走访 李一 今天 八一 陪同 ${'镇'.repeat(31)}`)

    expect(reply).toBe('走访人姓名请在 30 字以内，未登记。')
    expect(await anyVisit()).not.toMatch(/走访/)
  })

  it('more than twenty with the sender are refused, nothing stored', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `干部${i + 1}号`)
    const [reply] = await say(t, 'li', `走访 李一 今天 八一 陪同 ${names.join(' ')}`)
    const [fits] = await say(t, 'li', `走访 李二 今天 八一 陪同 ${names.slice(1).join(' ')}`)

    expect(reply).toBe('走访人最多 20 位（含您），未登记。')
    expect(displayWidth(reply!)).toBeLessThanOrEqual(40)
    expect(await record(idOf(fits))).toMatchObject({ visitors: ['li', ...names.slice(1)] })
  })

  it('they stay with the visit while the form asks what the line left out', async () => {
    const [asked] = await say(t, 'li', '走访 李一 陪同 张主任')
    await say(t, 'li', '今天')
    const [cash] = await say(t, 'li', '八一')
    const [reply] = await say(t, 'li', '无')

    expect(asked).toContain('日期')
    expect(cash).toContain('慰问金')
    expect(alongLines(reply)).toEqual(['陪同：张主任'])
    expect(await record(idOf(reply))).toMatchObject({ visitors: ['li', '张主任'] })
  })

  it('several people in one line each keep who went along', async () => {
    const [reply] = await say(t, 'li', '走访 李一、李二 今天 八一 陪同 张主任')

    expect(reply).toMatch(/^已登记 2 条走访：/)
    const ids = [...reply!.matchAll(/#(\d+)：/g)].map((m) => Number(m[1]))
    expect(ids.length).toBe(2)
    for (const id of ids) {
      expect(await record(id)).toMatchObject({ visitors: ['li', '张主任'], notes: undefined })
    }
  })

  it('the 台账’s 走访人 column names them after the sender', async () => {
    await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴村 李明')
    await say(t, 'li', '走访 李一 今天 八一 走访人 李书记 王主任')
    const [reply] = await say(t, 'boss', '导出 台账 2026')

    const row = (await ledgerRows(t, reply!)).find((r) => r[4] === '李一')!
    expect(row[6]).toBe('李明、李书记、王主任')
  })

  it('an activity line keeps its 陪同 in its notes, as before', async () => {
    const [reply] = await say(t, 'li', '活动 座谈会 今天 人数40 陪同 张主任')

    expect(reply).toMatch(/已登记 #\d+/)
    expect(await record(idOf(reply))).toMatchObject({ notes: '陪同 张主任' })
  })
})

describe('a need and its 跟进 on one line are two fields (a tester: stored as one need)', () => {
  let t: TestBot
  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['走访 张三 今天 八一 需求 看病贵 跟进 下周联系民政办', '看病贵', '下周联系民政办'],
    ['走访 张三 今天 八一 需求：房子漏雨，跟进：联系住建所', '房子漏雨', '联系住建所'],
  ])('「%s」 stores the need and what is to be done apart', async (line, needs, followUp) => {
    const [reply] = await say(t, 'li', line)

    expect(reply).toContain(`需求：${needs}（已记为待办，跟进：${followUp}）`)
    expect(await t.bot.services.records.getRecord(idOf(reply))).toMatchObject({ needs, followUp })
  })

  it('keeps 跟进 inside a need’s own words as the need', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 八一 需求 需要跟进医保')

    const visit = await t.bot.services.records.getRecord(idOf(reply))
    expect(visit).toMatchObject({ needs: '需要跟进医保' })
    expect((visit as { followUp?: string }).followUp).toBeUndefined()
  })
})
