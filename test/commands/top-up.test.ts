import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DRAFT_DISCARDED } from '../../src/bot/forms.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'
import { unwrapped } from '../support/reply-width.js'

// 2026-07-20 10:00 in Asia/Shanghai, before the allowance's 07-31 deadline.
const NOW = new Date('2026-07-20T02:00:00Z')

/** The record a reply names (已登记 #N). */
const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

describe('补发 as a word: a top-up stored at once, against what is still owed (a tester: 确认 twice)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const record = (id: number) => t.bot.services.records.getRecord(id)
  const allowance = () => t.bot.services.tallies.readAllowanceTally(2026)
  /** 李一 paid 300 of the 5,800 rural standard (a slip, confirmed). */
  const payPart = async () => {
    await say(t, 'li', '发放优待金 李一 300元 今天')
    const [stored] = await say(t, 'li', '确认')
    expect(stored).toMatch(/^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李一/)
  }

  it('when 补发优待金 follows a part payment, stores it at once and says what is paid and owed', async () => {
    await payPart()

    const [reply] = await say(t, 'li', '补发优待金 李一 300元 今天')

    expect(reply).toMatch(
      new RegExp(
        [
          '^已登记 #\\d+：2026-07-20 补发 2026 年优待金 铁炉嘴村 李一（农村）300 元',
          '李一 2026 年已发 600 元，尚欠 5,200 元（农村标准 5,800 元）。',
          '铁炉嘴村已发 1/3 户。撤销请回复「撤销 #\\d+」$',
        ].join('\n'),
      ),
    )
    expect(await record(idOf(reply))).toMatchObject({ amountFen: 30_000, topUp: true })
    expect(((await record(idOf(reply))) as { notes?: string }).notes).toBeUndefined()
    expect(await t.redis.get(t.keys.form('sandbox', 'li', 'li'))).toBeNull()
  })

  it.each([
    '发放优待金 李一 300元 补发',
    '发放优待金 李一 补发 300元 今天',
    '发放优待金 李一 300元补发',
    '发放优待金 李一 今天 300元 补发差额',
    '发放优待金 李一 今天 300元 备注 补发差额',
    '補發優待金 李一 300元 今天',
    '优待金补发 李一 300元',
    '发优待金 李一 300元 补发。',
  ])('when %s is sent, it is a 补发 too', async (line) => {
    await payPart()

    const [reply] = await say(t, 'li', line)

    expect(reply).toMatch(/^已登记 #\d+：2026-07-20 补发 2026 年优待金 铁炉嘴村 李一（农村）300 元/)
    expect(reply).toContain('\n李一 2026 年已发 600 元，尚欠 5,200 元（农村标准 5,800 元）。\n')
    expect(await record(idOf(reply))).toMatchObject({ kind: 'payment', topUp: true })
    // The 补发 is the field: a note is only what the cadre wrote after 备注.
    expect(((await record(idOf(reply))) as { notes?: string }).notes ?? '').not.toMatch(
      /^补发(；|$)/,
    )
  })

  it('when 补发优待金 comes alone, asks for the family and the answer is a 补发', async () => {
    await payPart()

    const [asked] = await say(t, 'li', '补发优待金')
    const [reply] = await say(t, 'li', '李一')

    expect(asked).toBe('发给哪一户？请回复姓名（可加村名），如「李四」。回复「取消」退出。')
    expect(reply).toMatch(/补发 2026 年优待金 铁炉嘴村 李一（农村）5,500 元（按尚欠差额）\n/)
  })

  it('when the 补发 has its own 备注, keeps both, and the reply shows the 备注', async () => {
    await payPart()

    const [reply] = await say(t, 'li', '补发优待金 李一 300元 今天 备注 两年合发')

    expect(reply).toMatch(/（农村）300 元；备注：两年合发\n/)
    expect(await record(idOf(reply))).toMatchObject({ topUp: true, notes: '两年合发' })
  })

  it('when no amount is written, pays what is still owed', async () => {
    await payPart()

    const [reply] = await say(t, 'li', '补发优待金 李一')

    expect(reply).toMatch(/补发 2026 年优待金 铁炉嘴村 李一（农村）5,500 元（按尚欠差额）\n/)
    expect(reply).toContain('\n李一 2026 年已发 5,800 元，已发足农村标准 5,800 元。\n')
    expect(reply).toContain('日期按今天（07-20）登记')
  })

  it('when the family is paid in full, a 补发 without an amount is refused with the figures', async () => {
    await say(t, 'li', '发放优待金 李一 今天')

    const [reply] = await say(t, 'li', '补发优待金 李一')

    expect(reply).toBe(
      '李一 2026 年已发 5,800 元，已发足农村标准 5,800 元，无需补发，未登记。\n确需多发请写上金额，如「补发优待金 李一 300元」。',
    )
    expect((await allowance()).total.payments).toBe(1)
  })

  it('when the 补发 is more than is owed, holds it until 「确认」', async () => {
    await payPart()

    const [held] = await say(t, 'li', '补发优待金 李一 6000元 今天')
    const whileHeld = (await allowance()).total.payments
    const [stored] = await say(t, 'li', '确认')

    expect(held).toBe(
      '李一 2026 年已发 300 元，尚欠 5,500 元（农村标准 5,800 元）；补发 6,000 元 超过尚欠的差额，未登记。\n如确有此事请回复「确认」；金额有误请回复正确金额，如「5500元」。',
    )
    expect(whileHeld).toBe(1)
    expect(stored).toContain('\n李一 2026 年已发 6,300 元，比农村标准 5,800 元多发 500 元。\n')
  })

  it('when the held 补发 is answered with the right amount, stores that', async () => {
    await payPart()
    await say(t, 'li', '补发优待金 李一 6000元 今天')

    const [stored] = await say(t, 'li', '5500元')

    expect(stored).toMatch(/补发 2026 年优待金 铁炉嘴村 李一（农村）5,500 元\n/)
    expect(stored).toContain('已发足农村标准 5,800 元。')
  })

  it('when a family paid in full is topped up again, says it would be paid more', async () => {
    await say(t, 'li', '发放优待金 李一 今天')

    const [held] = await say(t, 'li', '补发优待金 李一 300元')

    expect(held).toBe(
      '李一 2026 年已发 5,800 元，已发足农村标准 5,800 元；再补发 300 元 会多发 300 元，未登记。\n如确有此事请回复「确认」；金额有误请回复正确金额。',
    )
  })

  it('when an urban family gets a 补发 from a leader, compares it with the urban standard', async () => {
    await say(t, 'boss', '发放优待金 王二 8000元 今天')

    const [reply] = await say(t, 'boss', '补发优待金 王二 600元 今天')

    expect(reply).toContain('\n王二 2026 年已发 8,600 元，已发足城镇标准 8,600 元。\n')
  })

  it('after a part payment and its 补发, 统计 优待金, 未发放 and 年报 agree: one 补发, none short', async () => {
    await payPart()
    await say(t, 'li', '补发优待金 李一 今天')

    const [list] = await say(t, 'li', '未发放')
    const [tally] = await say(t, 'boss', '统计 优待金')
    const [report] = await say(t, 'boss', '年报')
    const tallied = await allowance()

    expect(list).not.toContain('未发足')
    expect(unwrapped(tally!)).toContain('注意：补发 1 笔；请用「导出 优待金 2026」核对。')
    expect(report!.replace(/\n(?![一二三四五六七八九十]+、)/g, '')).toContain(
      '八、优待金：应发 10 户，已发 1 户（10%），未发 9 户；发放 5,800 元（农村 1 户 5,800 元，标准 5,800 元），其中补发 1 笔；',
    )
    expect(tallied.total).toMatchObject({ families: 1, payments: 2, sumFen: 580_000 })
    expect(tallied.variance).toMatchObject({ repeats: 1, under: { families: 0, fen: 0 } })
  })

  it('when 未发放 names a family short, its hint is the new form, and that form pays the rest', async () => {
    await payPart()
    await say(t, 'li', '发放优待金 李二 今天')
    await say(t, 'li', '发放优待金 李三 今天')

    const [short] = await say(t, 'li', '未发放')
    const [topUp] = await say(t, 'li', '补发优待金 李一')
    const [done] = await say(t, 'li', '未发放')

    expect(short).toContain('\n铁炉嘴村 李一 已发 300 元，尚欠 5,500 元\n')
    expect(short!.split('\n').slice(-2)).toEqual([
      '补发后回复「补发优待金 姓名」登记，',
      '金额默认为尚欠的差额。',
    ])
    expect(topUp).toMatch(/李一（农村）5,500 元（按尚欠差额）/)
    expect(done).toMatch(/铁炉嘴村义务兵家庭全部已发放（3 户）。$/)
  })

  it('when a family paid in full is sent a plain second payment, the hold says so, with no 补发 to copy', async () => {
    const [first] = await say(t, 'li', '发放优待金 李一 7月10日')

    const [held] = await say(t, 'li', '发放优待金 李一 2900元 今天')

    expect(held).toBe(
      [
        `李一 2026 年优待金已于 07-10 发放 5,800 元（#${idOf(first)}），这次未登记。`,
        '李一 2026 年已发 5,800 元，已发足农村标准 5,800 元；确需再发一笔请回复「确认」，否则不用回复。',
      ].join('\n'),
    )
  })

  it('when several families get a 补发 in one message, each is checked against its own', async () => {
    await payPart()
    await say(t, 'li', '发放优待金 李二 5000元 今天')

    const [reply] = await say(t, 'li', '补发优待金\n李一 500元\n李二\n李三 100元')

    expect(reply).toMatch(/^已登记 3 条优待金发放：\n/)
    expect(reply).toContain('补发 2026 年优待金 铁炉嘴村 李一（农村）500 元')
    expect(reply).toContain('李一 2026 年已发 800 元，尚欠 5,000 元（农村标准 5,800 元）。')
    expect(reply).toContain('李二（农村）800 元（按尚欠差额）')
    expect(reply).toContain('李三 2026 年已发 100 元，尚欠 5,700 元（农村标准 5,800 元）。')
  })

  it('when the same family is topped up twice in one message, the second is checked after the first', async () => {
    await payPart()

    const [reply] = await say(t, 'li', '补发优待金 李一 5000元\n补发优待金 李一 1000元')

    expect(reply).toContain('李一 2026 年已发 5,300 元，尚欠 500 元（农村标准 5,800 元）。')
    expect(reply).toMatch(/未登记 1 条：\n李一：还差确认金额，请单独发送/)
    expect((await allowance()).total.sumFen).toBe(530_000)
  })
})

describe('a 补发 as a record: 撤销, 查看, 我的记录 and 修改 say 补发 and keep it', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const payment = (id: number) => t.bot.services.allowances.getPayment(id)
  /** 李一 paid 5,500 on 07-10, then a 补发 of the 300 owed today: the 补发's record number. */
  const topUp = async () => {
    await say(t, 'li', '发放优待金 李一 5500元 7月10日')
    return idOf((await say(t, 'li', '补发优待金 李一 300元 今天 备注 两年合发'))[0])
  }
  /** Rewrites `#id` as payments were stored before the field: the 补发 as its notes. */
  const storeInOldForm = async (id: number, notes: string) => {
    const raw = (await t.redis.hget(t.keys.records(), String(id)))!
    const stored = JSON.parse(raw) as Record<string, unknown>
    delete stored.tu
    stored.nt = notes
    await t.redis.hset(t.keys.records(), String(id), JSON.stringify(stored))
  }

  it('when a 补发 is withdrawn, the line says 补发', async () => {
    const id = await topUp()

    const [reply] = await say(t, 'li', `撤销 #${id}`)

    expect(reply).toMatch(
      new RegExp(`^已撤销 #${id}：2026-07-20 补发 2026 年优待金 铁炉嘴村 李一 300 元。`),
    )
  })

  it('when a 补发 is looked at, 查看 and 我的记录 say 补发, a plain payment 发放', async () => {
    const id = await topUp()

    const [shown] = await say(t, 'li', `查看 #${id}`)
    const [plain] = await say(t, 'li', `查看 #${id - 1}`)
    const [mine] = await say(t, 'li', '我的记录')

    expect(shown!.split('\n')[0]).toBe(`#${id} 优待金补发`)
    expect(plain!.split('\n')[0]).toBe(`#${id - 1} 优待金发放`)
    expect(mine).toContain(`\n#${id} 2026 年优待金补发 李一 300 元\n`)
    expect(mine).toContain(`\n#${id - 1} 2026 年优待金 李一 5,500 元\n`)
  })

  it('when a 补发’s amount or note is corrected, it stays a 补发', async () => {
    const id = await topUp()

    const [amount] = await say(t, 'li', `修改 #${id} 金额 500元 确认`)
    const [note] = await say(t, 'li', `修改 #${id} 备注 差额`)
    const [cleared] = await say(t, 'li', `修改 #${id} 备注 无`)

    expect(amount).toBe(`已修改 #${id} 铁炉嘴村 李一 2026 年优待金：金额 300 元 → 500 元`)
    expect(note).toBe(`已修改 #${id} 铁炉嘴村 李一 2026 年优待金：备注 两年合发 → 差额`)
    expect(cleared).toBe(`已修改 #${id} 铁炉嘴村 李一 2026 年优待金：备注 差额 → 无`)
    expect(await payment(id)).toMatchObject({ topUp: true, amountFen: 50_000 })
    expect((await payment(id))!.notes).toBeUndefined()
  })

  it('when 修改 writes 补发 as a note, refuses it: the note does not make or keep a 补发', async () => {
    const id = await topUp()

    const [onTopUp] = await say(t, 'li', `修改 #${id} 备注 补发`)
    const [onPlain] = await say(t, 'li', `修改 #${id - 1} 备注 补发`)

    expect(onTopUp).toBe(`#${id} 已是补发，备注不用写「补发」，未修改。`)
    expect(onPlain).toBe(
      `#${id - 1} 登记为发放，备注写「补发」不会改成补发，未修改。确是补发请撤销 #${id - 1}，再发「补发优待金 姓名 金额」。`,
    )
    expect(await payment(id)).toMatchObject({ topUp: true, notes: '两年合发' })
    expect((await payment(id - 1))!.topUp).toBeUndefined()
  })

  it('when a payment draft was saved with the 补发 in its note (version 1), drops it with the notice', async () => {
    await say(t, 'li', '发放优待金 李一 5500元 7月10日')
    const draft = { kind: 'payment', version: 1, field: 'confirm' }
    const values = { personId: 1, date: '2026-07-20', amountFen: 30_000, notes: '补发' }
    const key = t.keys.form('sandbox', 'li', 'li')
    await t.redis.set(key, JSON.stringify(Object.assign({ values }, draft)), 'EX', 1800)

    const replies = await say(t, 'li', '确认')

    expect(replies[0]).toBe(DRAFT_DISCARDED)
    expect((await t.bot.services.tallies.readAllowanceTally(2026)).total.payments).toBe(1)
  })

  it('when a 补发 was stored before the field (补发；两年合发 in its notes), reads, shows and corrects it as one', async () => {
    const id = await topUp()
    await storeInOldForm(id, '补发；两年合发')

    const [shown] = await say(t, 'li', `查看 #${id}`)
    const [note] = await say(t, 'li', `修改 #${id} 备注 差额`)
    const [withdrawn] = await say(t, 'li', `撤销 #${id}`)

    expect(shown!.split('\n')[0]).toBe(`#${id} 优待金补发`)
    expect(note).toBe(`已修改 #${id} 铁炉嘴村 李一 2026 年优待金：备注 两年合发 → 差额`)
    expect(withdrawn).toMatch(new RegExp(`^已撤销 #${id}：2026-07-20 补发 2026 年优待金`))
    expect(await payment(id)).toMatchObject({ topUp: true, notes: '差额' })
  })
})

describe('a record line sent while a payment amount waits for 「确认」 is not taken as an answer', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const HELD =
    '优待金 58,000 元还等您「确认」，这条新消息未读取。\n确有此事请回复「确认」；不登记请回复「取消」，再重发这条。'
  const payments = async () => (await t.bot.services.tallies.readAllowanceTally(2026)).total

  it.each(['张三 今天 日常', '李三 今天 5800元', '李三 7月19日', '張三 今天 日常 慰問金300元'])(
    'when %s comes, says the confirmation is open and the line was not read',
    async (line) => {
      await say(t, 'li', '发放优待金 李二 58000元 今天')

      const replies = await say(t, 'li', line)

      expect(replies).toEqual([HELD])
    },
  )

  it('when 「确认」 follows the line not read, stores the amount held', async () => {
    await say(t, 'li', '发放优待金 李二 58000元 今天')
    await say(t, 'li', '张三 今天 日常')

    const [stored] = await say(t, 'li', '确认')

    expect(stored).toMatch(
      /^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李二（农村）58,000 元/,
    )
    expect(await payments()).toMatchObject({ payments: 1, sumFen: 5_800_000 })
  })

  it('when a 走访 line comes, stores the visit and keeps the amount waiting, said once', async () => {
    await say(t, 'li', '发放优待金 李二 58000元 今天')

    const replies = await say(t, 'li', '走访 张三 今天 日常')
    const [stored] = await say(t, 'li', '确认')

    expect(replies[0]).toMatch(/^已登记 #\d+：2026-07-20 日常走访 铁炉嘴村 张三/)
    expect(replies.at(-1)).toBe(
      '您的优待金发放登记还在进行：李二 58,000 元 2026-07-20，还差确认金额。直接回复「确认」或正确金额继续，回复「取消」放弃。',
    )
    expect(stored).toMatch(
      /^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李二（农村）58,000 元/,
    )
  })

  it('when a question comes, answers it and keeps the amount waiting', async () => {
    await say(t, 'li', '发放优待金 李二 58000元 今天')

    const replies = await say(t, 'li', '今天走访了谁')
    const [stored] = await say(t, 'li', '确认')

    expect(replies[0]).toMatch(/^今天（07-20）铁炉嘴村/)
    expect(replies.at(-1)).toMatch(/^您的优待金发放登记还在进行：李二 58,000 元/)
    expect(stored).toMatch(/^已登记 #\d+：.*李二（农村）58,000 元/)
  })

  it('when a 补发 waits and a record line comes, names the 补发', async () => {
    await say(t, 'li', '发放优待金 李二 今天')
    await say(t, 'li', '补发优待金 李二 300元')

    const [reply] = await say(t, 'li', '张三 今天 日常')

    expect(reply).toBe(
      '补发 300 元还等您「确认」，这条新消息未读取。\n确有此事请回复「确认」；不登记请回复「取消」，再重发这条。',
    )
  })

  it('when a repeat payment is held and a 走访 line comes, stores the visit and says the hold is closed', async () => {
    await say(t, 'li', '发放优待金 李二 今天')
    await say(t, 'li', '发放优待金 李二 今天')

    const replies = await say(t, 'li', '走访 张三 今天 日常')

    // Not swallowed: the visit is stored, and the held repeat's end is said, as for any command
    // (docs/forms.md: its prompt said no reply was needed, so it is not reminded).
    expect(replies[0]).toMatch(/^已登记 #\d+：2026-07-20 日常走访 铁炉嘴村 张三/)
    expect(replies.at(-1)).toBe(
      '之前等您「确认」的优待金发放登记（李二 2026-07-20）已放下，未登记。',
    )
    expect(await payments()).toMatchObject({ payments: 1 })
  })

  it('when an amount comes, still reads it as the corrected amount', async () => {
    await say(t, 'li', '发放优待金 李二 58000元 今天')

    const [stored] = await say(t, 'li', '5800元')

    expect(stored).toMatch(
      /^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李二（农村）5,800 元/,
    )
  })
})
