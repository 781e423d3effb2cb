import { afterEach, describe, expect, it } from 'vitest'
import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock } from '../support/clock.js'
import { unwrapped } from '../support/reply-width.js'
import { adminMeta, payAll, seedTown, visit, CONSCRIPTS, type Town } from '../support/town.js'

// 未走访, 未发放, 待办 and 我还有什么没办 are read on a phone: every line they write to say what
// to do next fits REPLY_WIDTH columns (a CJK character 2, ASCII 1), for a cadre and a leader,
// with a campaign running or not, with namesakes, and for lists empty and past MAX_LISTED.
//
// Three kinds of line carry what the records hold rather than the bot's own words, and are
// left to the phone to wrap (test/support/reply-width.ts widthProblems: free text may wrap):
// a list's heading (its year, status and scope), a 待办 case with the need as written, and
// 未走访's line on other visits logged today, which names households. Every other line is held
// to the width.

/** The asks walked for each asker. */
const ASKS = [
  '未走访',
  '未走访 八一',
  '未走访 铁炉嘴村',
  '未走访 下个月',
  '未发放',
  '未发放 2027',
  '未发放 乱写',
  '待办',
  '我还有什么没办',
]
const ASKERS = ['boss', 'li']

/** A line of records' content rather than the bot's own words (see the top of the file). */
function isRecordsLine(line: string, index: number): boolean {
  return (index === 0 && /^\d{4} /.test(line)) || /^\d+\. #\d+ /.test(line) || /另登记了/.test(line)
}

/** The lines of `reply` past REPLY_WIDTH that are the bot's own words. */
function tooWide(reply: string): string[] {
  return reply
    .split('\n')
    .filter((line, i) => !isRecordsLine(line, i) && displayWidth(line) > REPLY_WIDTH)
}

describe('未走访, 未发放 and 待办 fit a phone (REPLY_WIDTH)', () => {
  let t: TestBot

  afterEach(async () => {
    await t.cleanup()
  })

  /** Every ask by every asker (and 待办 in a group), with the lines past the width. */
  const walk = async (): Promise<{ replies: string[]; wide: string[] }> => {
    const replies: string[] = []
    for (const user of ASKERS) {
      for (const ask of ASKS) replies.push(...(await say(t, user, ask)))
      replies.push(...(await say(t, user, '待办', { chat: 'village-group' })))
    }
    return { replies, wide: replies.flatMap(tooWide) }
  }

  /** 25 more conscript families, 张伟 among them in each village, and 22 open cases. */
  const fillUp = async (town: Town) => {
    const villages = ['铁炉嘴村', '童家坝村', '新街社区']
    for (let i = 0; i < 25; i++) {
      await t.bot.services.people.addPerson(
        {
          name: i % 3 === 0 ? '张伟' : `周${i}`,
          village: villages[i % 3]!,
          category: '义务兵家庭',
          householdType: i % 2 === 0 ? '农村' : '城镇',
          idNumber: `3201021990010${20000 + i}`,
        },
        adminMeta(),
      )
    }
    for (let i = 0; i < 22; i++) {
      await visit(t, town, i % 2 === 0 ? '张三' : '赵六', {
        date: `2026-06-${String(1 + i).padStart(2, '0')}`,
        occasion: '日常',
        needs: '房屋漏雨需修缮',
      })
    }
  }

  it.each([
    ['a campaign running (八一, 07-28)', '2026-07-28T02:00:00Z'],
    ['no campaign running yet (05-10)', '2026-05-10T02:00:00Z'],
    ['before 元旦 begins (12-01)', '2026-12-01T02:00:00Z'],
    ['春节 running in the new year (2027-01-20)', '2027-01-20T02:00:00Z'],
  ])('with %s, empty, full and with namesakes', async (_when, at) => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: testClock(at) })
    const town = await seedTown(t)

    const seeded = await walk()
    await say(t, 'li', '走访 张三 今天 日常')
    await say(t, 'boss', '走访 赵六 今天 春节')
    await say(t, 'boss', '走访 李一 昨天 日常')
    await fillUp(town)
    const full = await walk()

    expect(seeded.wide).toEqual([])
    expect(full.wide).toEqual([])
    // Past MAX_LISTED the rest is counted, and how to see it is said on a line of its own.
    expect(full.replies.join('\n')).toContain('\n回复「未走访 村名」分村查看。\n')
    expect(full.replies.join('\n')).toContain('\n回复「未发放 村名」分村查看。\n')
    expect(full.replies.join('\n')).toContain('\n另有 2 件，见「导出 台账」。\n')
  })

  it('when every household is visited and every family paid, the all-done replies fit', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: testClock('2026-07-28T02:00:00Z') },
    )
    const town = await seedTown(t)
    for (const name of Object.keys(town.people)) await visit(t, town, name)
    await payAll(t, town, 2026, CONSCRIPTS)

    const { replies, wide } = await walk()
    const [todo] = await say(t, 'li', '我还有什么没办')

    expect(wide).toEqual([])
    expect(replies.join('\n')).toContain('铁炉嘴村全部已走访（4 户）。')
    expect(todo).toBe(
      ['铁炉嘴村暂无要办的：', '2026 八一走访已完成，没有帮扶待办，', '2026 年优待金已发完。'].join(
        '\n',
      ),
    )
  })

  it('when the township has nobody on the roster yet, the replies say what to do and fit', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: testClock('2026-07-28T02:00:00Z') },
    )
    await seedTown(t)
    const s = t.bot.services
    await s.villages.addVillage('黄泥塘村', adminMeta())
    await s.roles.set(
      'sandbox:huang',
      { role: 'cadre', villages: ['黄泥塘村'], setBy: 'test', setAt: '' },
      adminMeta(),
    )

    const [unvisited] = await say(t, 'huang', '未走访')
    const [unpaid] = await say(t, 'huang', '未发放')
    const [cases] = await say(t, 'huang', '待办')

    expect([unvisited, unpaid, cases].flatMap((r) => tooWide(r!))).toEqual([])
    expect(unvisited).toBe('黄泥塘村还没有登记优抚对象，\n请管理员「添加对象」。')
    expect(unpaid).toBe('黄泥塘村没有登记义务兵家庭。')
    expect(cases).toBe(
      [
        '没有待办的帮扶事项。',
        '走访时在「备注」后写下困难即记为待办，',
        '如「走访 张三 今天 备注 危房需修缮」。',
      ].join('\n'),
    )
  })

  it('the rewritten hints say the same next step as before, each line within the width', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: testClock('2026-07-28T02:00:00Z') },
    )
    const town = await seedTown(t)
    const { record } = await visit(t, town, '张三', { needs: '危房需修缮' })

    const [usage] = await say(t, 'boss', '未走访 下个月')
    const [payUsage] = await say(t, 'boss', '未发放 乱写')
    const [noStandard] = await say(t, 'boss', '未发放 2027')
    const [cases] = await say(t, 'boss', '待办')
    const [inGroup] = await say(t, 'boss', '待办', { chat: 'village-group' })
    const [todo] = await say(t, 'li', '我还有什么没办')

    expect(usage).toBe(
      '没看懂「下个月」。\n可以这样问：「未走访」「未走访 八一」\n「未走访 2027 春节」「未走访 铁炉嘴村」',
    )
    expect(payUsage).toBe(
      '没看懂「乱写」。\n可以这样问：「未发放」「未发放 2027」\n「未发放 铁炉嘴村」',
    )
    expect(noStandard!.split('\n').slice(-3)).toEqual([
      '2027 年还没有设置标准，请管理员发送',
      '「优待金标准 2027 农村… 城镇…」。',
      '发放后回复「发放优待金 姓名 日期」登记。',
    ])
    expect(cases!.split('\n').slice(-2)).toEqual([
      `办好后回复「办结 #${record.id} 已解决」，`,
      '可写明怎么解决的。',
    ])
    expect(inGroup).toBe('待办涉及群众的困难和隐私，\n请私聊我回复「待办」查看。')
    expect(todo!.split('\n').at(-1)).toBe('回复「未走访」「待办」「未发放」查看。')
    for (const reply of [usage, payUsage, noStandard, cases, inGroup, todo]) {
      expect(tooWide(reply!)).toEqual([])
    }
  })

  it('before a campaign begins, 我还有什么没办 says when, within the width', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: testClock('2026-12-01T02:00:00Z') },
    )
    await seedTown(t)

    const [todo] = await say(t, 'boss', '我还有什么没办')

    expect(todo!.split('\n')[1]).toBe('1. 2027 元旦 12 户待走访，12月18日起')
    expect(tooWide(todo!)).toEqual([])
  })

  it('a 补发 hint under 未发放 fits in two lines and keeps what it says', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: testClock('2026-07-20T02:00:00Z') },
    )
    const town = await seedTown(t)
    await payAll(t, town, 2026, ['李一', '李三'])
    await say(t, 'li', '发放优待金 李二 300元 今天')
    await say(t, 'li', '确认')

    const [short] = await say(t, 'li', '未发放')

    expect(short!.split('\n').slice(-2)).toEqual([
      '补发后回复「补发优待金 姓名」登记，',
      '金额默认为尚欠的差额。',
    ])
    expect(unwrapped(short!)).toContain('补发后回复「补发优待金 姓名」登记，金额默认为尚欠的差额。')
    expect(tooWide(short!)).toEqual([])
  })
})
