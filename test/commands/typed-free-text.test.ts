import type { QueueEvents } from 'bullmq'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningWorkers } from '../../jobs/worker.js'
import { typedSpan } from '../../src/commands/remind.js'
import { foldText } from '../../src/parse/normalize.js'
import { RedisOutbox } from '../../src/records/sandbox-outbox.js'
import { reminderJobId } from '../../src/reminders/job.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock, type TestClock } from '../support/clock.js'
import { seedTown } from '../support/town.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'

// Payments, activities and reminders keep their free text as the cadre typed it (full-width
// punctuation and traditional script), as visits and people do (typed-input.test.ts); what
// the command understands (amounts, dates, names, 补发) is still read from the folded text.

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

  it('is undefined for a span of blanks, or one that starts inside what one character folded to', () => {
    expect(typedSpan('a  b', 'a b', 1, 2)).toBeUndefined()
    // `…` folds to `...`: its second dot is no typed character's start.
    expect(typedSpan('等…好', '等...好', 2, 5)).toBeUndefined()
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
