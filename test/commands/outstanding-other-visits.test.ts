import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock } from '../support/clock.js'
import { adminMeta, seedTown } from '../support/town.js'

// The line under 未走访 about visits logged today for another occasion (docs/figures.md): a
// tester, 12-01, read 「张伟今天另登记了日常走访」 for a visit done on 11-28, and could not tell
// which 张伟 it meant when two were on the roster.

describe('未走访’s line on other visits: the day each was done, and names told apart', () => {
  let t: TestBot

  /** The seeded township on 2026-12-01 10:00 in Shanghai (the 2027 元旦 campaign). */
  const start = async (at = '2026-12-01T02:00:00Z') => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: testClock(at) })
    await seedTown(t)
  }
  /** Two 张伟 on the roster: 铁炉嘴村 (烈士遗属) and `village` (残疾军人 unless said). */
  const addZhangWei = async (village: string, category: '残疾军人' | '烈士遗属' = '残疾军人') => {
    const s = t.bot.services
    await s.people.addPerson(
      { name: '张伟', village: '铁炉嘴村', category: '烈士遗属', idNumber: '320102199001012001' },
      adminMeta(),
    )
    await s.people.addPerson(
      { name: '张伟', village, category, idNumber: '320102199001012002' },
      adminMeta(),
    )
  }
  afterEach(async () => {
    await t.cleanup()
  })

  /** The line before the list's last (the next step). */
  const otherLine = (list: string | undefined) => list!.split('\n').at(-2)

  it('when a visit done on 11-28 was logged on 12-01, says 11月28日, not 今天', async () => {
    await start()
    await say(t, 'li', '走访 张三 11月28日 日常')

    const [list] = await say(t, 'li', '未走访')

    expect(list).toMatch(/^2027 元旦走访\n（截至 12-01/)
    expect(otherLine(list)).toBe('张三另登记了11月28日的日常走访，不计入元旦。')
  })

  it('when one visit is today’s and one 11-28’s, says each with its day, today’s first', async () => {
    await start()
    await say(t, 'li', '走访 张三 11月28日 日常')
    await say(t, 'li', '走访 李二 今天 春节')

    const [list] = await say(t, 'li', '未走访')

    expect(otherLine(list)).toBe(
      '李二今天另登记了春节走访；张三另登记了11月28日的日常走访，不计入元旦。',
    )
  })

  it('when the visit was done today, still says 今天', async () => {
    await start()
    await say(t, 'li', '走访 张三 今天 日常')

    const [list] = await say(t, 'li', '未走访')

    expect(otherLine(list)).toBe('张三今天另登记了日常走访，不计入元旦。')
  })

  it('when the visit was done last year (logged on 01-02), says the year too', async () => {
    await start('2027-01-02T02:00:00Z')
    await say(t, 'boss', '走访 张三 2026年12月30日 日常')

    const [list] = await say(t, 'boss', '未走访 春节 铁炉嘴村')

    expect(otherLine(list)).toBe('张三另登记了2026年12月30日的日常走访，不计入春节。')
  })

  it('when two 张伟 live in two villages and the list spans both, names each with the village', async () => {
    await start()
    await addZhangWei('童家坝村')
    await say(t, 'boss', '走访 铁炉嘴村 张伟 11月28日 日常')

    const [list] = await say(t, 'boss', '未走访')

    // The list names them under their villages; the line names the one it means the same way.
    expect(list).toContain('\n铁炉嘴村 ')
    expect(otherLine(list)).toBe('铁炉嘴村 张伟另登记了11月28日的日常走访，不计入元旦。')
  })

  it('when the namesake is only in the other village, a cadre’s own list names 张伟 alone', async () => {
    await start()
    await addZhangWei('童家坝村')
    await say(t, 'li', '走访 张伟 今天 日常')

    const [list] = await say(t, 'li', '未走访')

    expect(otherLine(list)).toBe('张伟今天另登记了日常走访，不计入元旦。')
  })

  it('when both 张伟 live in one village, tells them apart by category, as the list does', async () => {
    await start()
    await addZhangWei('铁炉嘴村')
    await say(t, 'li', '走访 张伟 今天 日常')
    await say(t, 'li', '2') // 2. 张伟 铁炉嘴村 残疾军人

    const [list] = await say(t, 'li', '未走访')

    expect(list).toContain('张伟（烈士遗属）')
    expect(list).toContain('张伟（残疾军人）')
    expect(otherLine(list)).toBe('张伟（残疾军人）今天另登记了日常走访，不计入元旦。')
  })

  it('when both visited 张伟 are named across villages, each gets the village', async () => {
    await start()
    await addZhangWei('童家坝村')
    await say(t, 'boss', '走访 铁炉嘴村 张伟 今天 日常')
    await say(t, 'boss', '走访 童家坝村 张伟 11月29日 日常')

    const [list] = await say(t, 'boss', '未走访')

    expect(otherLine(list)).toBe(
      '铁炉嘴村 张伟今天另登记了日常走访；童家坝村 张伟另登记了11月29日的日常走访，不计入元旦。',
    )
  })
})
