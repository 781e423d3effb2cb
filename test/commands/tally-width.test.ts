import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import type { ReplyLayout } from '../../src/replies/layout.js'
import { isRowsBlock } from '../../src/replies/layout.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { testClock, type TestClock } from '../support/clock.js'
import { CONSCRIPTS, adminMeta, payAll, seedTown, visit, type Town } from '../support/town.js'

// Leaders read 统计 and 年报 on phones: every line at most 40 columns (docs/replies.md, "The
// width rule"), no figure dropped, and the rows adding up to the line that totals them.

interface Answer {
  text: string
  layout?: ReplyLayout
}

async function ask(t: TestBot, user: string, text: string): Promise<Answer> {
  const res = await t.http.post('/sandbox/messages').send({ user, text }).expect(200)
  const replies = (res.body as { replies: Answer[] }).replies
  expect(replies).toHaveLength(1)
  return replies[0]!
}

/** The lines of `text` wider than a phone's line. */
const wide = (text: string) => text.split('\n').filter((l) => displayWidth(l) > REPLY_WIDTH)

/** `1,100` → 1100. */
const num = (text: string) => Number(text.replace(/,/g, ''))

/** A reply's lines, broken to a phone's width, joined again: its sentences run together. */
const unwrapped = (reply: string) => reply.replace(/\n/g, '')

/** The rows of a reply's rows block whose caption starts with `caption`. */
function rowsOf(answer: Answer, caption: string) {
  const block = answer.layout?.blocks.filter(isRowsBlock).find((b) => b.caption.startsWith(caption))
  if (!block) throw new Error(`no ${caption} in: ${answer.text}`)
  return block.rows
}

const ASKED = ['统计', '统计 八一', '统计 优待金', '统计 今天', '统计 全年', '统计 排名', '年报']

describe('统计 and 年报 at a phone’s width, over the seeded town', () => {
  let t: TestBot
  let town: Town
  const clock: TestClock = testClock('2026-07-31T02:00:00Z')

  beforeEach(async () => {
    clock.set('2026-07-31T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    town = await seedTown(t)
    await payAll(t, town, 2025, CONSCRIPTS)
    await payAll(t, town, 2026, CONSCRIPTS.slice(0, 7))
    await t.bot.services.allowances.addPayment(
      { personId: town.people['孙二']!.id, year: 2026, amountFen: 800_000, date: '2026-07-21' },
      adminMeta(),
    )
    await visit(t, town, '张三', { needs: '危房需修缮' })
    await visit(t, town, '李一', {
      cashFen: 123_456_00,
      goods: [
        { name: '慰问品礼盒', quantity: 20, unit: '盒' },
        { name: '精制大米', quantity: 100, unit: '袋' },
        { name: '食用调和油', quantity: 30, unit: '桶' },
        { name: '加厚棉被', quantity: 10, unit: '床' },
      ],
    })
    await visit(t, town, '赵六', { date: '2026-02-10', occasion: '春节', cashFen: 80_000 })
    await visit(t, town, '王一', { date: '2026-03-15', occasion: '日常', cashFen: 20_000 })
    await t.bot.services.visits.addVisit(
      {
        date: '2026-07-30',
        occasion: '八一',
        campaignYear: 2026,
        unitName: '武警某某市支队某某县中队',
        visitors: ['镇长'],
        cashFen: 300_000,
      },
      adminMeta(),
    )
    for (const line of [
      '走访 孙一 今天 八一 慰问金600元 米一袋 油一桶',
      '走访 王二 今天 八一 慰问金500元 备注 子女就学困难',
      '活动 座谈会 7月30日 人数40',
      '活动 军训 7月20日 人数5259',
    ]) {
      await ask(t, 'admin', line)
    }
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['2026-07-31T02:00:00Z', 'the day before 八一'],
    ['2026-12-01T02:00:00Z', 'in December, with 元旦 and 春节 ahead'],
  ])('on %s (%s), every line of every tally is at most 40 columns', async (instant) => {
    clock.set(instant)
    if (instant.startsWith('2026-12')) {
      await ask(t, 'admin', '走访 李二 今天 春节 慰问金300元 备注 房屋漏雨需修缮')
      await ask(t, 'admin', '走访 李三 今天 元旦 慰问金200元')
      await ask(t, 'admin', '走访 孙三 今天 日常 慰问金100元')
    }
    for (const user of ['boss', 'li']) {
      for (const text of ASKED) {
        if (user === 'li' && text === '年报') continue
        const answer = await ask(t, user, text)
        expect(wide(answer.text), `${user}: ${text}\n${answer.text}`).toEqual([])
        expect(answer.text, `${user}: ${text}`).not.toMatch(/\|/)
        // The layout's lines are the text's: a surface that renders it breaks no wider.
        for (const block of answer.layout?.blocks ?? []) {
          const lines = isRowsBlock(block) ? [block.caption] : block.lines
          expect(
            lines.filter((l) => displayWidth(l) > REPLY_WIDTH),
            text,
          ).toEqual([])
        }
      }
    }
  })

  it('drops no figure: 统计’s summary, joined again, is the sentence it was', async () => {
    const answer = await ask(t, 'boss', '统计 八一')

    expect(unwrapped(answer.text)).toContain(
      '全镇：应访 12 户，已访 4 户（33%），走访 5 次（含单位 1 次），慰问金 128,056 元，物品 精制大米100袋、食用调和油30桶、慰问品礼盒20盒 等 6 种',
    )
  })

  it('the village lines of 统计 add up to its total line', async () => {
    const answer = await ask(t, 'boss', '统计 八一')

    const total = /全镇：应访 (\d+) 户，已访 (\d+) 户.*?慰问金 ([\d,]+) 元/.exec(
      unwrapped(answer.text),
    )!
    const rows = rowsOf(answer, '各村')
    const sum = { entitled: 0, households: 0, cash: 0 }
    for (const row of rows) {
      const visited = /^(\d+)\/(\d+) 户$/.exec(row.cells[0]!)
      if (visited) {
        sum.households += Number(visited[1])
        sum.entitled += Number(visited[2])
      }
      sum.cash += num(/^([\d,]+) 元$/.exec(row.cells.at(-1)!)![1]!)
    }
    expect(rows.map((r) => r.name)).toEqual(['铁炉嘴村', '童家坝村', '新街社区', '全镇（单位）'])
    expect(sum).toEqual({
      entitled: Number(total[1]),
      households: Number(total[2]),
      cash: num(total[3]!),
    })
  })

  it('the village lines of 统计 优待金 and 统计 全年 add up to their total lines', async () => {
    const allowance = await ask(t, 'boss', '统计 优待金')
    const year = await ask(t, 'boss', '统计 全年')

    const paid = /全镇：应发 (\d+) 户，已发 (\d+) 户.*?共 ([\d,]+) 元/.exec(
      unwrapped(allowance.text),
    )!
    const villages = rowsOf(allowance, '各村').map((r) => {
      const [, families, due] = /^(\d+)\/(\d+) 户$/.exec(r.cells[0]!)!
      return [Number(families), Number(due), num(r.cells[1]!.replace(' 元', ''))]
    })
    expect(villages.reduce((s, v) => s.map((n, i) => n + v[i]!), [0, 0, 0])).toEqual([
      Number(paid[2]),
      Number(paid[1]),
      num(paid[3]!),
    ])
    const sum = /全镇：走访 (\d+) 次，(\d+) 户次，慰问金 ([\d,]+) 元/.exec(unwrapped(year.text))!
    const cash = rowsOf(year, '各村').reduce((n, r) => n + num(r.cells[1]!.replace(' 元', '')), 0)
    expect(cash).toBe(num(sum[3]!))
    const occasions = rowsOf(year, '按活动').reduce(
      (s, r) => [
        s[0]! + Number(r.cells[1]!.replace(' 次', '')),
        s[1]! + num(r.cells[2]!.replace(' 元', '')),
      ],
      [0, 0],
    )
    expect(occasions).toEqual([Number(sum[1]), num(sum[3]!)])
  })
})

describe('统计 of a township with more villages than a screen holds', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-07-31T02:00:00Z') },
    )
    const s = t.bot.services
    await s.roles.set(
      'sandbox:boss',
      { role: 'leader', villages: [], setBy: 'test', setAt: '' },
      adminMeta(),
    )
    const names = '一二三四五六七八九十'
    for (let i = 0; i < 15; i++) {
      const village = `${names[i % 10]}${i >= 10 ? '号' : ''}湾村`
      await s.villages.addVillage(village, adminMeta())
      for (let j = 0; j < 2; j++) {
        const { record } = await s.people.addPerson(
          { name: `村民${i}乙${j}`, village, category: '残疾军人' },
          adminMeta(),
        )
        // Villages visited more the later they were added: the first ones are the behind.
        if (j === 0 || i > 6) {
          await s.visits.addVisit(
            {
              date: '2026-07-28',
              occasion: '八一',
              campaignYear: 2026,
              personId: record.id,
              visitors: ['李书记'],
              cashFen: (i + 1) * 10_000,
              goods: [],
            },
            adminMeta(),
          )
        }
      }
    }
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('the rows and the line on those left out add up to the total line', async () => {
    const answer = await ask(t, 'boss', '统计 八一')

    const text = unwrapped(answer.text)
    const total = /全镇：应访 (\d+) 户，已访 (\d+) 户.*?慰问金 ([\d,]+) 元/.exec(text)!
    const rows = rowsOf(answer, '各村')
    const left =
      /另有 (\d+) 个村（社区）完成率较高，未列出（共 (\d+)\/(\d+) 户，([\d,]+) 元）/.exec(text)!
    const sum = rows.reduce(
      (s, r) => {
        const [, done, due] = /^(\d+)\/(\d+) 户$/.exec(r.cells[0]!)!
        return [
          s[0]! + Number(done),
          s[1]! + Number(due),
          s[2]! + num(r.cells[2]!.replace(' 元', '')),
        ]
      },
      [Number(left[2]), Number(left[3]), num(left[4]!)],
    )
    expect(rows.length + Number(left[1])).toBe(15)
    expect(sum).toEqual([Number(total[2]), Number(total[1]), num(total[3]!)])
    expect(wide(answer.text)).toEqual([])
  })
})
