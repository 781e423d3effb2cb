import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readRemoval } from '../../src/commands/removal-reason.js'
import { AuditLog } from '../../src/records/audit-log.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { botOnChannel } from '../support/channels.js'
import type { ChatDriver } from '../support/drivers.js'
import type { FakeDingtalk } from '../support/fake-dingtalk.js'
import { testClock } from '../support/clock.js'
import { seedTown, type Town } from '../support/town.js'

// 2026-10-20 10:00 in Shanghai: roster-check season.
const START = '2026-10-20T02:00:00Z'

const KEPT = '统计中已扣除，原记录保留在审计日志中。'

describe('撤销 of a person asks why they leave the roster (issue 13)', () => {
  let t: TestBot
  let town: Town
  const idOf = (name: string) => town.people[name]!.id
  const person = (name: string) => t.bot.services.people.getPerson(idOf(name))
  const rosterTotal = async () => (await t.bot.services.tallies.readRosterCounts()).total

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: testClock(START) })
    town = await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when the reason is in the line, removes at once and says the reason', async () => {
    const [reply] = await say(t, 'admin', `撤销 #${idOf('李二')} 去世`)

    expect(reply).toBe(
      `已撤销 #${idOf('李二')}：对象 铁炉嘴村 李二（义务兵家庭），移出原因：去世。\n${KEPT}`,
    )
    expect(await person('李二')).toMatchObject({ status: 'withdrawn', removal: { reason: '去世' } })
    expect(await rosterTotal()).toBe(11)
  })

  it('when the reason has a note, stores both', async () => {
    const [reply] = await say(t, 'boss', `撤销 #${idOf('赵六')} 迁出 搬到县城`)

    expect(reply).toContain('移出原因：迁出（搬到县城）。')
    expect((await person('赵六'))?.removal).toEqual({ reason: '迁出', note: '搬到县城' })
  })

  it('when no reason is given, asks, keeps the form through a question, and re-asks a bad answer', async () => {
    const id = idOf('李二')

    const [asked] = await say(t, 'admin', `撤销 #${id}`)
    const stillActive = (await person('李二'))?.status
    const duringHelp = await say(t, 'admin', '帮助 撤销')
    const [bad] = await say(t, 'admin', '不知道')
    const [otherAlone] = await say(t, 'admin', '其他')
    const [done] = await say(t, 'admin', '其他 户口注销')

    expect(asked).toBe(
      [
        `#${id} 铁炉嘴村 李二 移出花名册的原因？`,
        '请回复 去世、迁出、退役 或 其他，',
        '可加说明，如「迁出 搬到县城」。',
        '回复「取消」不撤销。',
      ].join('\n'),
    )
    expect(stillActive).toBe('active')
    expect(duringHelp[0]).toContain('移出花名册的对象要写原因：撤销 #45 去世')
    expect(duringHelp.at(-1)).toBe(
      `您的撤销还在进行：#${id} 铁炉嘴村 李二，还差移出原因。直接回复去世、迁出、退役或其他继续，回复「取消」放弃。`,
    )
    expect(bad).toMatch(/^未撤销：「不知道」不是移出原因。请写去世、迁出、退役/)
    expect(bad).toMatch(/回复「取消」退出。$/)
    expect(otherAlone).toContain('选「其他」请写明原因，如「其他 户口注销」。')
    expect(done).toBe(
      `已撤销 #${id}：对象 铁炉嘴村 李二（义务兵家庭），移出原因：其他（户口注销）。\n${KEPT}`,
    )
    expect((await person('李二'))?.removal).toEqual({ reason: '其他', note: '户口注销' })
  })

  it('when a line names a visit and a person, withdraws both once the reason comes', async () => {
    const [logged] = await say(t, 'li', '走访 李三 今天 日常')
    const visitId = Number(/#(\d+)/.exec(logged!)![1])

    const [asked] = await say(t, 'admin', `撤销 #${visitId} #${idOf('李三')}`)
    const visitMeanwhile = await t.bot.services.records.getRecord(visitId)
    const [done] = await say(t, 'admin', '退伍')

    expect(asked).toContain('同一条里的其他 1 条记录等您回复后一起撤销。')
    expect(visitMeanwhile?.status).toBe('active')
    expect(done).toBe(
      [
        '已撤销 2 条：',
        `#${visitId} 2026-10-20 日常走访 铁炉嘴村 李三`,
        `#${idOf('李三')} 对象 铁炉嘴村 李三（义务兵家庭），移出原因：退役`,
        KEPT,
      ].join('\n'),
    )
  })

  it('取消 leaves the person on the roster', async () => {
    await say(t, 'admin', `撤销 #${idOf('李二')}`)

    const [cancelled] = await say(t, 'admin', '取消')

    expect(cancelled).toBe('已取消，未登记任何内容。')
    expect((await person('李二'))?.status).toBe('active')
  })

  it('a reason it cannot read withdraws nothing and says how to write it', async () => {
    const [unknown] = await say(t, 'admin', `撤销 #${idOf('李二')} 搬家`)
    const [tooLong] = await say(t, 'admin', `撤销 #${idOf('李二')} 迁出 ${'很远'.repeat(16)}`)

    expect(unknown).toBe(
      '未撤销：「搬家」不是移出原因。请写去世、迁出、退役，或「其他 说明」，可加说明，如「迁出 搬到县城」「其他 户口注销」。',
    )
    expect(tooLong).toMatch(/^未撤销：原因说明有 32 个字，最多 30 个字/)
    expect((await person('李二'))?.status).toBe('active')
  })

  it('a visit is withdrawn without a reason, as before', async () => {
    const [logged] = await say(t, 'li', '走访 张三 今天 日常')
    const visitId = Number(/#(\d+)/.exec(logged!)![1])

    const [reply] = await say(t, 'li', `撤销 #${visitId}`)

    expect(reply).toBe(`已撤销 #${visitId}：2026-10-20 日常走访 铁炉嘴村 张三。\n${KEPT}`)
  })

  it('a reason after a number that names no person withdraws nothing and says what the number is', async () => {
    const [logged] = await say(t, 'li', '走访 张三 今天 日常')
    const visitId = Number(/#(\d+)/.exec(logged!)![1])

    const [visitReply] = await say(t, 'admin', `撤销 #${visitId} 去世`)
    const [missing] = await say(t, 'admin', '撤销 #9999 迁出')

    expect(visitReply).toBe(
      [
        `未撤销：#${visitId} 是走访记录，不是花名册上的对象。`,
        '请核对记录号；撤销走访、发放不用写原因，如「撤销 #128」。',
      ].join('\n'),
    )
    expect(missing).toMatch(/^未撤销：#9999 没有这条记录，不是花名册上的对象。/)
    expect((await t.bot.services.records.getRecord(visitId))?.status).toBe('active')
  })

  it('a cadre is refused at once, not asked for a reason', async () => {
    const [reply] = await say(t, 'li', `撤销 #${idOf('李二')}`)

    expect(reply).toBe(
      `#${idOf('李二')} 是花名册上的对象李二，不是登记记录；移除对象需要领导或管理员权限。` +
        '要撤销您的登记，请回复「我的记录」查看编号。',
    )
  })

  it('撤销上一条 of a person just added asks too, and the card then shows the reason', async () => {
    const [added] = await say(t, 'admin', '添加对象 钱八 童家坝村 烈属')
    const id = Number(/#(\d+)/.exec(added!)![1])

    const [asked] = await say(t, 'admin', '撤销上一条')
    const [done] = await say(t, 'admin', '迁出')
    const [card] = await say(t, 'admin', `查看 #${id}`)

    expect(asked).toMatch(new RegExp(`^#${id} 童家坝村 钱八 移出花名册的原因？`))
    expect(done).toBe(`已撤销 #${id}：对象 童家坝村 钱八（烈士遗属），移出原因：迁出。\n${KEPT}`)
    expect(card).toContain('钱八（已移除）')
    expect(card).toContain('移出原因：迁出')
  })

  it('a redelivered answer removes once', async () => {
    await say(t, 'admin', `撤销 #${idOf('李二')}`)

    await say(t, 'admin', '去世', { id: 'answer-1' })
    await say(t, 'admin', '去世', { id: 'answer-1' })

    const entries = await new AuditLog({ redis: t.redis, keys: t.keys }).historyOf(idOf('李二'))
    expect(entries.map((e) => e.action)).toEqual(['person.add', 'person.withdraw'])
  })
})

describe('readRemoval', () => {
  it('reads the words cadres write for each reason, with or without a note', () => {
    expect(readRemoval('去世')).toEqual({ removal: { reason: '去世' } })
    expect(readRemoval('原因：病故')).toEqual({ removal: { reason: '去世' } })
    expect(readRemoval('搬走了 去县城')).toEqual({ removal: { reason: '迁出', note: '去县城' } })
    expect(readRemoval('户口迁出，落户杭州')).toEqual({
      removal: { reason: '迁出', note: '落户杭州' },
    })
    expect(readRemoval('退伍。')).toEqual({ removal: { reason: '退役' } })
    expect(readRemoval('其它：户口注销')).toEqual({ removal: { reason: '其他', note: '户口注销' } })
  })

  it('refuses 其他 without a note, an unknown word and a note with control characters', () => {
    expect(readRemoval('其他')).toEqual({ problem: '选「其他」请写明原因，如「其他 户口注销」。' })
    expect(readRemoval('随便')).toMatchObject({ problem: expect.stringMatching(/^「随便」不是/) })
    expect(readRemoval('迁出 a\u0007b')).toMatchObject({
      problem: expect.stringContaining('看不见的字符'),
    })
  })
})

describe.each(['wecom', 'dingtalk'] as const)('removal reason over %s', (platform) => {
  let t: TestBot
  let fake: FakeDingtalk
  let chat: ChatDriver

  beforeEach(async () => {
    ;({ t, chat, fake } = await botOnChannel(platform, testClock(START)))
    await say(t, 'admin', '添加对象 张三 铁炉嘴村 残疾军人 二等乙级')
    await say(t, 'admin', `设置角色 ${platform}:boss 领导`)
  })
  afterEach(async () => {
    await t.cleanup()
    await fake.close()
  })

  it('asks a leader why, then stores the answer with the removal', async () => {
    const [person] = await t.bot.services.people.findPeopleByName('张三')

    const [asked] = await chat.say('boss', `撤销 #${person!.id}`)
    const [done] = await chat.say('boss', '去世')

    expect(asked).toContain('移出花名册的原因？')
    expect(done).toBe(
      `已撤销 #${person!.id}：对象 铁炉嘴村 张三（残疾军人·二等乙级），移出原因：去世。\n${KEPT}`,
    )
    expect((await t.bot.services.people.getPerson(person!.id))?.removal).toEqual({
      reason: '去世',
    })
  })
})
