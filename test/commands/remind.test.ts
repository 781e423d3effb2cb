import type { QueueEvents } from 'bullmq'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningWorkers } from '../../jobs/worker.js'
import { RedisOutbox } from '../../src/records/sandbox-outbox.js'
import { displayWidth } from '../../src/replies/display-width.js'
import { JOB, reminderJobId, SEND_JOB_OPTIONS } from '../../src/reminders/job.js'
import { ReminderScheduler } from '../../src/reminders/scheduler.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta } from '../support/town.js'
import { testClock, type TestClock } from '../support/clock.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'

// 2026-11-28 (a Saturday) 10:00 in Asia/Shanghai.
const SATURDAY_10AM = new Date('2026-11-28T02:00:00Z')
const FIVE_MINUTES = 5 * 60_000

describe('reminder commands', () => {
  let t: TestBot
  let events: QueueEvents | undefined
  let workers: RunningWorkers | undefined

  /** A bot whose clock reads `clock()`, with lisi and wangwu as cadres. */
  const setUp = async (clock: () => Date) => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    // 设置角色 binds registered villages only (issue 11).
    for (const v of ['铁炉嘴村', '童家坝村'])
      await t.bot.services.villages.addVillage(v, adminMeta())
    await say(t, 'admin', '设置角色 sandbox:lisi 村干部 铁炉嘴村')
    await say(t, 'admin', '设置角色 sandbox:wangwu 村干部 童家坝村')
  }
  /** The bot's one clock, which a test moves on to make a reminder due. */
  let clock: TestClock
  const withClock = () => (clock = testClock(SATURDAY_10AM))

  const startWorker = async () => {
    events = await queueEventsOf(t)
    workers = startTestWorkers(t)
  }
  /**
   * The bot's clock moves on to the job's due time and the job runs: BullMQ waits on the real
   * clock, so the test promotes the delayed job rather than waiting for it.
   */
  const runWhenDue = async (jobId: string, ms: number) => {
    const job = await t.queue.getJob(jobId)
    expect(await job!.getState()).toBe('delayed')
    clock.advance(ms)
    await job!.promote()
    return job!.waitUntilFinished(events!, 5000)
  }
  const outbox = async () =>
    (await new RedisOutbox(t.redis, t.keys).list(100)).map((m) => [m.chatId, m.isGroup, m.text])

  afterEach(async () => {
    await workers?.close({ force: true })
    await events?.close()
    workers = undefined
    events = undefined
    await t.cleanup()
  })

  it('提醒 with a day and a time replies with exactly what was stored', async () => {
    await setUp(() => SATURDAY_10AM)

    const replies = await say(t, 'lisi', '提醒 明天上午9点 联系武警中队')

    expect(replies).toEqual([
      '已设提醒 #1：2026-11-29 09:00（明天 周日）联系武警中队。取消请回复「取消提醒 1」',
    ])
    expect(await t.queue.getJobState(reminderJobId(1, 1))).toBe('delayed')
  })

  it('提醒 5分钟后 reaches the sandbox outbox when it comes due', async () => {
    await setUp(withClock())
    await startWorker()

    await say(t, 'lisi', '提醒 5分钟后 交表')
    const result = await runWhenDue(reminderJobId(1, 1), FIVE_MINUTES)

    expect(result).toBe('sent')
    expect(await outbox()).toEqual([['lisi', false, '【提醒 #1】交表']])
    expect(await t.bot.reminders.store.get(1)).toMatchObject({ status: 'done' })
  })

  it('when set in a group, the reminder goes to the group', async () => {
    await setUp(withClock())
    await startWorker()

    const replies = await say(t, 'lisi', '提醒 5分钟后 开会', { chat: 'village-group' })
    await runWhenDue(reminderJobId(1, 1), FIVE_MINUTES)

    expect(replies[0]).toMatch(/^已设提醒 #1（发到本群）：/)
    expect(await outbox()).toEqual([['village-group', true, '【提醒 #1】开会']])
  })

  it('我的提醒 lists only my pending reminders with their numbers', async () => {
    await setUp(() => SATURDAY_10AM)
    await say(t, 'lisi', '提醒 明天上午9点 联系武警中队')
    await say(t, 'wangwu', '提醒 明天下午3点 交表')
    await say(t, 'lisi', '提醒 每周一 9点 报送周报')

    const replies = await say(t, 'lisi', '我的提醒')

    expect(replies).toEqual([
      [
        '您的提醒 2 条：',
        '#1 2026-11-29 09:00（明天 周日）联系武警中队',
        '#3 每周一 09:00 报送周报，下次 2026-11-30 09:00（后天 周一）',
        '取消请回复「取消提醒 编号」，如「取消提醒 1」。',
      ].join('\n'),
    ])
  })

  it('取消提醒 cancels my reminder, and a cancelled reminder never fires', async () => {
    await setUp(withClock())
    await say(t, 'lisi', '提醒 5分钟后 交表')

    const replies = await say(t, 'lisi', '取消提醒 1')
    await startWorker()
    // A job that was already running (or left behind) reloads the record and stays quiet.
    const leftover = await t.queue.add(
      JOB.reminder,
      { reminderId: 1, occurrence: 1 },
      { ...SEND_JOB_OPTIONS, jobId: reminderJobId(1, 1) },
    )
    const result = await leftover.waitUntilFinished(events!, 5000)

    expect(replies[0]).toMatch(/^已取消提醒 #1：.*）交表。$/)
    expect(result).toBe('cancelled')
    expect(await outbox()).toEqual([])
    expect(await say(t, 'lisi', '我的提醒')).toEqual([
      '您没有待发的提醒。设提醒请回复「提醒 明天上午9点 联系武警中队」。',
    ])
  })

  it('取消提醒 of someone else’s reminder is refused for a cadre and allowed for an admin', async () => {
    await setUp(() => SATURDAY_10AM)
    await say(t, 'lisi', '提醒 明天上午9点 联系武警中队')

    const refused = await say(t, 'wangwu', '取消提醒 1')
    const allowed = await say(t, 'admin', '取消提醒 #1')

    expect(refused).toEqual(['提醒 #1 不是您设的，只能取消自己的提醒。回复「我的提醒」查看。'])
    expect(allowed[0]).toMatch(/^已取消提醒 #1：/)
    expect(await t.bot.reminders.store.get(1)).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'sandbox:admin',
    })
  })

  it.each([
    [
      '提醒 随便什么时候 交表',
      /^没看懂提醒时间「随便什么时候 交表」，未设提醒。\n请把时间写在前面，\n如「提醒 明天上午9点/,
    ],
    [
      '提醒 今天上午9点 交表',
      /^2026-11-28 09:00 已经过去了，未设提醒。\n请换一个将来的时间，\n如「提醒/,
    ],
    [
      '提醒 2028-07-25 9:00 交表',
      /^2028-07-25 09:00 超过一年，未设提醒。提醒最远设到一年内，如「提醒 7月25日 9:00/,
    ],
    ['提醒 明天上午9点', /^提醒什么事？请在时间后写上内容，\n如「提醒/],
  ])('when the time is wrong (%s), says what was wrong with an example', async (text, reply) => {
    await setUp(() => SATURDAY_10AM)

    const replies = await say(t, 'lisi', text)

    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatch(reply)
    expect(await t.bot.reminders.store.allPending()).toEqual([])
  })

  it('取消提醒 takes several numbers (4 5, #4、#5) and 删除提醒 as its word', async () => {
    await setUp(() => SATURDAY_10AM)
    for (const text of ['提醒 明天9点 开会', '提醒 后天9点 交表', '提醒 明天10点 报数']) {
      await say(t, 'lisi', text)
    }

    const [both] = await say(t, 'lisi', '取消提醒 1、2 9')
    const [third] = await say(t, 'lisi', '删除提醒 #3')

    expect(both).toMatch(/^已取消提醒 #1：.*开会。\n已取消提醒 #2：.*交表。\n没有待发的提醒 #9。/)
    expect(third).toMatch(/^已取消提醒 #3：/)
    expect(await t.bot.reminders.store.allPending()).toEqual([])
  })

  it('a weekly reminder, once delivered, queues its next week and advances', async () => {
    await setUp(withClock())
    await startWorker()
    // Its first occurrence, Monday 2026-11-30 09:00, is due now.
    clock.set('2026-11-30T01:00:00Z')
    const { reminder } = await t.bot.reminders.store.create(
      {
        owner: 'sandbox:lisi',
        chat: { platform: 'sandbox', chatId: 'lisi', isGroup: false },
        text: '报送周报',
        schedule: { kind: 'weekly', weekday: 1, hour: 9, minute: 0, timezone: 'Asia/Shanghai' },
        at: clock().toISOString(),
        createdAt: clock().toISOString(),
      },
      'weekly-1',
    )

    await new ReminderScheduler({ queue: t.queue, now: t.clock }).scheduleReminder(reminder)
    await (await t.queue.getJob(reminderJobId(reminder.id, 1)))!.waitUntilFinished(events!, 5000)

    const advanced = await t.bot.reminders.store.get(reminder.id)
    expect(advanced).toMatchObject({ status: 'pending', occurrence: 2 })
    expect(advanced!.at).toBe(new Date('2026-12-07T01:00:00Z').toISOString())
    expect(await t.queue.getJobState(reminderJobId(reminder.id, 2))).toBe('delayed')
    expect((await outbox())[0]![2]).toMatch(/^【提醒 #1】报送周报\n（每周一 09:00 提醒；/)
  })
})

describe('提醒 with the dates and times cadres write (issue 11)', () => {
  let t: TestBot
  let events: QueueEvents | undefined
  let workers: RunningWorkers | undefined
  let clock: TestClock

  beforeEach(async () => {
    clock = testClock(SATURDAY_10AM)
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    await t.bot.services.villages.addVillage('铁炉嘴村', adminMeta())
    await say(t, 'admin', '设置角色 sandbox:lisi 村干部 铁炉嘴村')
  })
  afterEach(async () => {
    await workers?.close({ force: true })
    await events?.close()
    workers = undefined
    events = undefined
    await t.cleanup()
  })

  it.each([
    [
      '提醒 八一前一周 9点 准备慰问品',
      '已设提醒 #1：2027-07-25 09:00（239天后 周日）准备慰问品。取消请回复「取消提醒 1」',
    ],
    [
      '提醒 腊月二十 9点 准备春节慰问品',
      '已设提醒 #1：2027-01-27 09:00（60天后 周三）准备春节慰问品。取消请回复「取消提醒 1」',
    ],
    [
      '提醒我 凌晨3点 值班',
      '已设提醒 #1：2026-11-29 03:00（明天 周日）值班。取消请回复「取消提醒 1」',
    ],
  ])('%s fires on the day it names, with only the task as its text', async (text, reply) => {
    expect(await say(t, 'lisi', text)).toEqual([reply])
  })

  it('提醒 3点 is the afternoon, and the reply says how to get 03:00', async () => {
    const replies = await say(t, 'lisi', '提醒 3点 开会')

    expect(replies).toEqual([
      '已设提醒 #1：2026-11-28 15:00（今天 周六）开会。取消请回复「取消提醒 1」\n3点按下午算；若要凌晨，请取消后写「凌晨3点」。',
    ])
  })

  it('提醒 每天早上8点 repeats daily and 我的提醒 lists it', async () => {
    const set = await say(t, 'lisi', '提醒 每天早上8点 报数')
    const listed = await say(t, 'lisi', '我的提醒')

    expect(set).toEqual([
      '已设提醒 #1：每天 08:00 报数，下次 2026-11-29 08:00（明天 周日）。取消请回复「取消提醒 1」',
    ])
    expect(listed).toEqual([
      [
        '您的提醒 1 条：',
        '#1 每天 08:00 报数，下次 2026-11-29 08:00（明天 周日）',
        '取消请回复「取消提醒 编号」，如「取消提醒 1」。',
      ].join('\n'),
    ])
  })

  it('a daily reminder, once delivered, queues the next day and advances', async () => {
    events = await queueEventsOf(t)
    workers = startTestWorkers(t)
    await say(t, 'lisi', '提醒 每天早上8点 报数')

    const job = await t.queue.getJob(reminderJobId(1, 1))
    clock.set('2026-11-29T00:00:00Z')
    await job!.promote()
    await job!.waitUntilFinished(events, 5000)

    const advanced = await t.bot.reminders.store.get(1)
    expect(advanced).toMatchObject({ status: 'pending', occurrence: 2 })
    expect(advanced!.at).toBe(new Date('2026-11-30T00:00:00Z').toISOString())
    expect(await t.queue.getJobState(reminderJobId(1, 2))).toBe('delayed')
    expect((await new RedisOutbox(t.redis, t.keys).list(10))[0]!.text).toBe(
      '【提醒 #1】报数\n（每天 08:00 提醒；不再需要请回复「取消提醒 1」）',
    )
  })

  it('提醒 with a month and no day (12月) asks for the day and sets nothing', async () => {
    const replies = await say(t, 'lisi', '提醒 12月 交表')

    expect(replies).toEqual([
      '「12月」没写哪一天，未设提醒。请写上几号后重发，如「提醒 12月20日 9点 …」。',
    ])
  })

  it('提醒 with 11月31日 names the impossible date and sets nothing', async () => {
    const replies = await say(t, 'lisi', '提醒 11月31日 9点 交表')

    expect(replies).toEqual([
      '11月31日 不存在（11月只有30天），未设提醒。请核对日期后重发，如「提醒 11月30日 9点 …」。',
    ])
    expect(await t.bot.reminders.store.allPending()).toEqual([])
  })
})

describe('提醒计划', () => {
  let t: TestBot
  afterEach(async () => {
    await t.cleanup()
  })

  it('on 2026-11-28 shows 春节 2027-02-06 and the 八一 2027 reminders after the working-day shift', async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => SATURDAY_10AM })

    const [plan] = await say(t, 'admin', '提醒计划')

    expect(plan).toContain('· 春节 2027-02-06（周六）：')
    expect(plan).toContain(
      [
        '· 八一 2027-08-01（周日）：',
        '07-16 周五（原 07-18 周日）、',
        '07-23 周五（原 07-25 周日）、',
        '07-29 周四、',
        '07-30 周五（原 07-31 周六）',
      ].join('\n'),
    )
    // A phone shows about 40 columns; a date is never cut from its shift.
    for (const line of plan!.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(40)
    expect(plan).toContain('· 元旦 2027-01-01（周五）：')
    expect(plan).toContain('· 优待金截止 2027-07-31（周六）：')
    expect(plan).toContain('暂无投递失败。')
  })

  it('lists deliveries that finally failed', async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => SATURDAY_10AM })
    const events = await queueEventsOf(t)
    const workers = startTestWorkers(t)
    // DingTalk is not configured here: the delivery fails for good at its first attempt.
    const job = await t.queue.add(
      JOB.push,
      {
        deliveryId: 'to-dingtalk',
        target: { kind: 'chat', chat: { platform: 'dingtalk', chatId: '0123', isGroup: false } },
        reply: { text: '【八一走访提醒】' },
      },
      { ...SEND_JOB_OPTIONS, jobId: 'to-dingtalk' },
    )
    await expect(job.waitUntilFinished(events, 5000)).rejects.toThrow(/not configured/)
    await workers.close()
    await events.close()

    const [plan] = await say(t, 'admin', '提醒计划')

    expect(plan).toMatch(
      /投递失败 1 条：\n· \d\d-\d\d \d\d:\d\d dingtalk:0123：platform dingtalk is not configured/,
    )
    expect(plan).toContain('/admin/queues')
  })
})
