import type { QueueEvents } from 'bullmq'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningWorkers } from '../../jobs/worker.js'
import { createSilentLogger } from '../../src/log.js'
import { CampaignLedger } from '../../src/records/campaign-ledger.js'
import { RedisOutbox } from '../../src/records/sandbox-outbox.js'
import { NO_CONFIGURED_DEADLINES } from '../../src/reminders/campaigns.js'
import { JOB } from '../../src/reminders/job.js'
import { CampaignPlanner } from '../../src/reminders/scheduler.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'

// 2027-07-16 (a Friday) 10:00 in Asia/Shanghai: an hour after the 09:00 reminders of 八一
// (14 days before, 07-18 a Sunday → 07-16) and of the allowance deadline (07-31 → 07-17 → 07-16).
const JULY_16_10AM = new Date('2027-07-16T02:00:00Z')
const DUE_TODAY = ['campaign-bayi-2027-07-16', 'campaign-youdaijin-2027-07-16']

describe('campaign planning', () => {
  let t: TestBot
  let events: QueueEvents | undefined
  let workers: RunningWorkers | undefined

  afterEach(async () => {
    await workers?.close({ force: true })
    await events?.close()
    workers = undefined
    events = undefined
    await t.cleanup()
  })

  const planner = (owner: string, now: Date) =>
    new CampaignPlanner({
      queue: t.queue,
      ledger: new CampaignLedger(t.redis, t.keys),
      calendar: t.bot.reminders.calendar,
      deadlines: NO_CONFIGURED_DEADLINES,
      timezone: 'Asia/Shanghai',
      log: createSilentLogger(),
      now: () => now,
      owner,
    })

  it('when two processes plan at start-up, the lease lets only one of them plan', async () => {
    t = await createTestBot()
    const now = new Date('2026-11-28T02:00:00Z')

    const [a, b] = await Promise.all([planner('a', now).plan(), planner('b', now).plan()])

    const [winner, loser] = a.planned ? [a, b] : [b, a]
    expect(loser).toEqual({ planned: false, upcoming: [], caughtUp: [] })
    expect(winner.upcoming).toContain('campaign-chunjie-2027-01-22')
    expect(winner.upcoming).toContain('campaign-bayi-2027-07-16')
    expect(winner.caughtUp).toEqual([])
    const delayed = await t.queue.getDelayed(0, -1)
    expect(delayed.map((j) => j.id).sort()).toEqual([...winner.upcoming].sort())
  })

  it('when the lease holder plans again, adding the same fixed ids queues nothing twice', async () => {
    t = await createTestBot()
    const now = new Date('2026-11-28T02:00:00Z')
    const owner = planner('a', now)

    const first = await owner.plan()
    const second = await owner.plan()

    expect(second.upcoming).toEqual(first.upcoming)
    expect(await t.queue.getDelayedCount()).toBe(first.upcoming.length)
  })

  it('at start-up, a reminder due in the last 24 h and not in the ledger runs once, with each recipient its list', async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => JULY_16_10AM })
    for (const line of [
      '添加对象 王五 铁炉嘴村 在乡复员军人',
      '添加对象 孙八 铁炉嘴村 义务兵家庭 农村',
      '添加对象 钱七 童家坝村 烈士遗属',
      '确认',
      '设置角色 sandbox:leader 领导',
      '设置角色 sandbox:lisi 村干部 铁炉嘴村',
    ]) {
      await say(t, 'admin', line)
    }
    events = await queueEventsOf(t)
    workers = startTestWorkers(t, { planOnStart: true })

    await workers.started
    for (const id of DUE_TODAY) {
      expect(await (await t.queue.getJob(id))!.waitUntilFinished(events, 5000)).toBe('sent')
    }
    for (const id of DUE_TODAY.flatMap((c) => [`${c}-sandbox.u.leader`, `${c}-sandbox.u.lisi`])) {
      expect(await (await t.queue.getJob(id))!.waitUntilFinished(events, 5000)).toBe('sent')
    }
    const again = await workers.planner.plan()

    expect(again.caughtUp).toEqual([])
    const outbox = await new RedisOutbox(t.redis, t.keys).list(10)
    expect(outbox.map((m) => [m.chatId, m.text]).sort()).toEqual([
      [
        'leader',
        '【优待金发放提醒】2027 年截止 07-31（周六），还有 15 天。\n应发 1 户，已发 0 户 0 元；未发 1 户：\n铁炉嘴村 孙八。',
      ],
      [
        'leader',
        '【八一走访提醒】距八一还有 16 天（08-01 周日）。\n全镇应访 3 户，已访 0 户（0%），\n慰问金 0 元。\n未走访 3 户：铁炉嘴村 2 户、\n童家坝村 1 户。\n回复「未走访 八一」查看名单。',
      ],
      [
        'lisi',
        '【优待金发放提醒】2027 年截止 07-31（周六），还有 15 天。\n铁炉嘴村尚有 1 户未发放：\n1. 孙八（农村）\n发放后回复「发放优待金 姓名 日期」登记。',
      ],
      [
        'lisi',
        '【八一走访提醒】距八一还有 16 天（08-01 周日）。\n铁炉嘴村尚有 2 户未走访：\n1. 王五（在乡复员军人）\n2. 孙八（义务兵家庭）\n走访后回复「走访 姓名 日期」登记。',
      ],
    ])
  })

  it('when a campaign reminder runs late at 22:30, it waits until 08:00 and sends nothing now', async () => {
    const lateEvening = new Date('2027-07-16T14:30:00Z') // 22:30 in Asia/Shanghai
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => lateEvening })
    await say(t, 'admin', '设置角色 sandbox:leader 领导')
    events = await queueEventsOf(t)
    const delayed = new Promise<{ jobId: string; delay: number }>((resolve) =>
      events!.on('delayed', (args) => {
        const e = args as { jobId: string; delay: number }
        if (e.jobId === 'campaign-bayi-2027-07-16') resolve(e)
      }),
    )

    workers = startTestWorkers(t, { planOnStart: true })
    const deferred = await delayed

    // BullMQ's `delay` is the instant on its own (real) clock that the job is due again.
    const nineAndHalfHours = 9.5 * 3600 * 1000
    expect(Math.abs(deferred.delay - Date.now() - nineAndHalfHours)).toBeLessThan(60_000)
    expect(await new CampaignLedger(t.redis, t.keys).get('campaign-bayi-2027-07-16')).toBe(
      undefined,
    )
    expect(await t.queue.getJobs(['waiting', 'active', 'completed'])).not.toContainEqual(
      expect.objectContaining({ name: JOB.push }),
    )
  })
})
