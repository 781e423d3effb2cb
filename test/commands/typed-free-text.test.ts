import type { QueueEvents } from 'bullmq'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningWorkers } from '../../jobs/worker.js'
import { foldText, typedSpan } from '../../src/parse/normalize.js'
import { RedisOutbox } from '../../src/records/sandbox-outbox.js'
import { reminderJobId } from '../../src/reminders/job.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock, type TestClock } from '../support/clock.js'
import { seedTown } from '../support/town.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'

// Payments, activities and reminders keep their free text as the cadre typed it (full-width
// punctuation and traditional script), as visits and people do (typed-input.test.ts); what
// the command understands (amounts, dates, names, 补发) is still read from the folded text.

/** The record numbers a reply names (已登记 #N), in order. */
const idsOf = (reply: string | undefined) =>
  [...(reply ?? '').matchAll(/#(\d+)：/g)].map((m) => Number(m[1]))

describe('typedSpan', () => {
  const spanOf = (typed: string, word: string) => {
    const folded = foldText(typed)
    const at = folded.indexOf(word)
    return typedSpan(typed, folded, at, at + word.length)
  }

  it('finds the typed text of a span in the middle of a message', () => {
    expect(spanOf('活動 座談會 在村委會 今天', '村委会')).toBe('村委會')
    expect(spanOf('提醒　聯繫武警中隊，帶上表格 明天９點', '联系武警中队,带上表格')).toBe(
      '聯繫武警中隊，帶上表格',
    )
    expect(spanOf('提醒 交表 明天', '明天')).toBe('明天')
  })

  it('answers, for any span of a fold, undefined or typed text folding back to the span', () => {
    const unit = fc.constantFrom(...'走訪張三鐵爐嘴優待金，。；：！？（）…　 ab12１２\n\u200b')
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 24 }), fc.nat(), fc.nat(), (typed, a, b) => {
        const folded = foldText(typed)
        const [start, end] = [a % (folded.length + 1), b % (folded.length + 1)].sort(
          (x, y) => x - y,
        )
        const found = typedSpan(typed, folded, start!, end!)
        if (found !== undefined) expect(foldText(found)).toBe(folded.slice(start, end).trim())
      }),
    )
    // Where nothing folds apart (CJK and ASCII), every span of words is found.
    expect(spanOf('走訪 張三 今天 備註 好', '张三 今天')).toBe('張三 今天')
  })

  it('is undefined for a span of blanks, or one that starts inside what one character folded to', () => {
    expect(typedSpan('a  b', 'a b', 1, 2)).toBeUndefined()
    // `…` folds to `...`: its second dot is no typed character's start.
    expect(typedSpan('等…好', '等...好', 2, 5)).toBeUndefined()
  })
})

describe('a payment’s 备注 is stored as typed', () => {
  // 2026-07-20 10:00 in Asia/Shanghai, before the allowance's 07-31 deadline.
  const NOW = new Date('2026-07-20T02:00:00Z')
  let t: TestBot
  const record = (id: number) => t.bot.services.records.getRecord(id)

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('keeps full-width punctuation and traditional script, the amount and family read folded', async () => {
    const [reply] = await say(t, 'li', '發放優待金 李一 ５８００元 今天 備註：兩年合發，已簽字。')

    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李一（农村）5,800 元；备注：兩年合發，已簽字。\n/,
    )
    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({
      kind: 'payment',
      amountFen: 580_000,
      notes: '兩年合發，已簽字。',
    })
  })

  it('keeps a 补发’s own 备注 as typed, the 补发 still the payment’s topUp', async () => {
    await say(t, 'li', '发放优待金 李一 300元 今天')
    await say(t, 'li', '确认')

    const [reply] = await say(t, 'li', '补发优待金 李一 300元 今天 备注：兩年合發，補齊')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-20 补发 2026 年优待金 .*；备注：兩年合發，補齊\n/)
    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ topUp: true, notes: '兩年合發，補齊' })
  })

  it('reads a 补发 from a 备注 begun with it, typed in traditional script, and keeps the note', async () => {
    await say(t, 'li', '发放优待金 李一 300元 今天')
    await say(t, 'li', '确认')

    const [reply] = await say(t, 'li', '发放优待金 李一 300元 今天 備註 補發差額，七月')

    const [id] = idsOf(reply)
    expect(reply).toMatch(/补发 2026 年优待金/)
    expect(await record(id!)).toMatchObject({ topUp: true, notes: '補發差額，七月' })
  })

  it('keeps a 补发 written as a word, the 备注 after it as typed', async () => {
    await say(t, 'li', '发放优待金 李一 300元 今天')
    await say(t, 'li', '确认')

    const [reply] = await say(t, 'li', '发放优待金 李一 300元 今天 补发 备注：去年欠的（核實）')

    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ topUp: true, notes: '去年欠的（核實）' })
  })

  it('keeps 「补发；」 at a 备注’s start half-width: it would read back as the old 补发 mark', async () => {
    await say(t, 'li', '发放优待金 李一 300元 今天')
    await say(t, 'li', '确认')

    const [reply] = await say(t, 'li', '发放优待金 李一 300元 今天 备注 补发；两年合发，已核')

    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ topUp: true, notes: '补发;两年合发，已核' })
  })

  it('keeps each line’s 备注 as typed in a message of several payments, 补发 ones too', async () => {
    const [paid] = await say(t, 'li', '發放優待金 李一 今天 備註：第一批，已簽字\n李二 今天')
    expect(paid).toMatch(/^已登记 2 条优待金发放：/)
    const [li, er] = idsOf(paid)
    expect(await record(li!)).toMatchObject({ notes: '第一批，已簽字' })
    expect(await record(er!)).toMatchObject({ notes: undefined })

    await say(t, 'li', '发放优待金 李三 300元 今天')
    await say(t, 'li', '确认')
    const [topUps] = await say(
      t,
      'li',
      '补发优待金\n李三 300元 今天 備註：差額，七月\n李二 100元 今天 备注：多發？核對',
    )
    expect(topUps).toMatch(
      /^已登记 1 条优待金发放：\n#\d+：.* 补发 .* 李三（农村）300 元；备注：差額，七月\n/,
    )
    // 李二 is paid in full: the 补发 is held, as folded text would have it.
    expect(topUps).toContain('\n未登记 1 条：\n李二：')
    const [san] = idsOf(topUps)
    expect(await record(san!)).toMatchObject({ topUp: true, notes: '差額，七月' })
  })

  it('keeps a 备注 written over two lines of one payment as typed, its lines joined by a space', async () => {
    const [reply] = await say(t, 'li', '发放优待金 李一 今天\n備註：兩年合發，\n已簽字')

    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ amountFen: 580_000, notes: '兩年合發， 已簽字' })
  })

  it('keeps the 备注 shared by a list of names as typed on each payment', async () => {
    const [reply] = await say(t, 'li', '发放优待金 李一、李二 今天 備註：第一批，已簽字')

    const ids = idsOf(reply)
    expect(ids).toHaveLength(2)
    for (const id of ids) expect(await record(id)).toMatchObject({ notes: '第一批，已簽字' })
  })

  it('keeps a 备注 through the question a slip asks, and 「确认」', async () => {
    const [held] = await say(t, 'li', '发放优待金 李一 300元 今天 備註：先發一部分，餘下月補')
    expect(held).toMatch(/未登记/)

    const [reply] = await say(t, 'li', '确认')

    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ amountFen: 30_000, notes: '先發一部分，餘下月補' })
  })
})

describe('an activity’s notes are stored as typed', () => {
  // 2026-12-02 10:00 in Asia/Shanghai.
  const NOW = new Date('2026-12-02T02:00:00Z')
  let t: TestBot
  const record = (id: number) => t.bot.services.records.getRecord(id)

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('keeps the 备注 and the place as typed, the kind, date and count read folded', async () => {
    const [reply] = await say(
      t,
      'admin',
      '活動 座談會 今天 在村委會 參加４０人 備註：氣氛熱烈，反響很好！',
    )

    expect(reply).toMatch(
      /^已登记 #\d+：2026-12-02 全镇 座谈会，40 人，备注：地点：村委會，氣氛熱烈，反響很好！。\n/,
    )
    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({
      activityKind: '座谈会',
      count: 40,
      notes: '地点：村委會，氣氛熱烈，反響很好！',
    })
    expect((await say(t, 'admin', `查看 #${id}`))[0]).toContain('氣氛熱烈，反響很好！')
  })

  it('keeps a place written 地點：… as typed, and a note with its 「；」 made half-width', async () => {
    const [reply] = await say(t, 'admin', '活动 晚会 今天 地點：文化廣場 备注 军民联欢；很熱鬧')

    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ notes: '地点：文化廣場，军民联欢;很熱鬧' })
  })

  it('keeps a head count written in the 备注 as part of it, not read as the count', async () => {
    const [reply] = await say(t, 'admin', '活动 座谈会 今天 人数20 备注 参加80人的大会，很成功')

    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ count: 20, notes: '参加80人的大会，很成功' })
  })

  it('keeps the 备注 as typed through the questions a form asks', async () => {
    const [asked] = await say(t, 'admin', '活动 慰问部队 今天 备注：送春聯，拜早年')
    expect(asked).toMatch(/哪支部队/)

    const [reply] = await say(t, 'admin', '武警中队')

    const [id] = idsOf(reply)
    expect(await record(id!)).toMatchObject({ unitName: '武警中队', notes: '送春聯，拜早年' })
  })
})

describe('a reminder’s text is stored and pushed as typed', () => {
  // 2026-11-28 (a Saturday) 10:00 in Asia/Shanghai.
  const SATURDAY_10AM = new Date('2026-11-28T02:00:00Z')
  let t: TestBot
  let clock: TestClock
  let events: QueueEvents | undefined
  let workers: RunningWorkers | undefined

  beforeEach(async () => {
    clock = testClock(SATURDAY_10AM)
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    await seedTown(t)
  })
  afterEach(async () => {
    await workers?.close({ force: true })
    await events?.close()
    workers = undefined
    events = undefined
    await t.cleanup()
  })

  const stored = async (id: number) => (await t.bot.reminders.store.get(id))?.text

  it('keeps the text after the time as typed, the time read folded', async () => {
    const replies = await say(t, 'li', '提醒 明天上午９點 聯繫武警中隊，帶上《名冊》')

    expect(replies).toEqual([
      '已设提醒 #1：2026-11-29 09:00（明天 周日）聯繫武警中隊，帶上《名冊》。取消请回复「取消提醒 1」',
    ])
    expect(await stored(1)).toBe('聯繫武警中隊，帶上《名冊》')
  })

  it('pushes the typed text when it comes due', async () => {
    events = await queueEventsOf(t)
    workers = startTestWorkers(t)
    await say(t, 'li', '提醒 5分钟后 交表（兩份），別忘了')

    const job = await t.queue.getJob(reminderJobId(1, 1))
    clock.advance(5 * 60_000)
    await job!.promote()
    expect(await job!.waitUntilFinished(events, 5000)).toBe('sent')

    const outbox = (await new RedisOutbox(t.redis, t.keys).list(10)).map((m) => m.text)
    expect(outbox).toEqual(['【提醒 #1】交表（兩份），別忘了'])
  })

  it('keeps the text as typed when the time is written after it, or in the middle', async () => {
    await say(t, 'li', '提醒 聯繫武警中隊，帶上表格 明天９點')
    await say(t, 'li', '提醒 交表， 每周一 9点 給鎮裡')
    await say(t, 'li', '提醒我 明天9点：開會。')

    expect(await stored(1)).toBe('聯繫武警中隊，帶上表格')
    expect(await stored(2)).toBe('交表， 給鎮裡')
    expect(await stored(3)).toBe('開會')
  })

  it('gives a text that ends its sentence no second mark in the reply', async () => {
    const [reply] = await say(t, 'li', '提醒 明天上午9点 联系武警中队！')

    expect(reply).toBe(
      '已设提醒 #1：2026-11-29 09:00（明天 周日）联系武警中队！取消请回复「取消提醒 1」',
    )
    expect((await say(t, 'li', '取消提醒 1'))[0]).toBe(
      '已取消提醒 #1：2026-11-29 09:00（明天 周日）联系武警中队！',
    )
  })

  it('keeps the folded text where the typed one cannot be found (a 我 before the text)', async () => {
    await say(t, 'li', '提醒 我 交錶，彙總 明天9点')

    expect(await stored(1)).toBe('交表,汇总')
  })

  it('joins the lines of a text typed over several by a space, as before', async () => {
    await say(t, 'li', '提醒 明天9点 聯繫武警中隊\n帶上表格')

    expect(await stored(1)).toBe('聯繫武警中隊 帶上表格')
  })

  it('lists the typed text in 我的提醒 and 取消提醒', async () => {
    await say(t, 'li', '提醒 每天早上8點 報數，彙總')

    const [mine] = await say(t, 'li', '我的提醒')
    const [cancelled] = await say(t, 'li', '取消提醒 1')

    expect(mine).toContain('#1 每天 08:00 報數，彙總，下次')
    expect(cancelled).toMatch(/^已取消提醒 #1：每天 08:00 報數，彙總，下次/)
  })
})
