import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Reconciler } from '../../src/records/reconciler.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown, visit, type Town } from '../support/town.js'

const NOW = new Date('2026-08-10T02:00:00Z')

describe('帮扶 help cases: 待办 and 办结', () => {
  let t: TestBot
  let town: Town
  let zhang: number
  let zhao: number

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    town = await seedTown(t)
    zhang = (await visit(t, town, '张三', { needs: '危房需修缮' })).record.id
    zhao = (await visit(t, town, '赵六', { date: '2026-07-26', needs: '医疗费用报销' })).record.id
    await visit(t, town, '李一')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const tally = async () => (await t.bot.services.tallies.readCampaignTally(2026, '八一')).total

  it('lists a leader every open case, oldest first, with whom and how to close one', async () => {
    const [reply] = await say(t, 'boss', '待办')

    expect(reply).toBe(
      [
        '待办帮扶 2 件：',
        `1. #${zhao} 07-26 童家坝村 赵六：医疗费用报销`,
        `2. #${zhang} 07-28 铁炉嘴村 张三：危房需修缮`,
        `办好后回复「办结 #${zhao} 已解决」，`,
        '可写明怎么解决的。',
      ].join('\n'),
    )
  })

  it('lists a cadre only the cases of their villages', async () => {
    const [reply] = await say(t, 'li', '待辦') // traditional script

    expect(reply).toContain(`#${zhang}`)
    expect(reply).not.toContain(`#${zhao}`)
  })

  it('when a case is closed with a note, keeps the note, counts it resolved and stops listing it', async () => {
    const [done] = await say(t, 'li', `办结 #${zhang}，已协调危房改造资金`)
    const [left] = await say(t, 'li', '待办')
    const [report] = await say(t, 'boss', '年报 2026')

    expect(done).toBe(
      `已办结 #${zhang}：危房需修缮（7月28日走访发现）。跟进：已协调危房改造资金。年报「帮扶」已计入。`,
    )
    expect(await t.bot.services.visits.getVisit(zhang)).toMatchObject({
      resolvedAt: '2026-08-10',
      followUp: '已协调危房改造资金',
    })
    expect(left).toMatch(/^没有待办的帮扶事项。/)
    expect(await tally()).toMatchObject({ needs: 2, resolved: 1 })
    // 年报's lines are broken to a phone's width; joined, its item reads as one sentence.
    expect(report!.replace(/\n/g, '')).toContain(
      '走访中发现困难需求 2 件，已办结 1 件、未办结 1 件',
    )
  })

  it('when the case is closed again, says when it was closed and changes nothing', async () => {
    await say(t, 'boss', `办结 #${zhao}`)

    const [again] = await say(t, 'boss', `办结 #${zhao} 再办一次`)

    expect(again).toBe(`#${zhao} 已于 8月10日 办结，未作改动。`)
    expect(await tally()).toMatchObject({ resolved: 1 })
  })

  it('refuses a cadre a case outside their villages and changes nothing', async () => {
    const [reply] = await say(t, 'li', `办结 #${zhao}`)

    expect(reply).toBe(`#${zhao} 在童家坝村，不在您负责的村，不能办结。`)
    expect(await tally()).toMatchObject({ resolved: 0 })
  })

  it.each([
    ['办结', '请写上记录号'],
    ['办结 #999', '没有找到走访记录 #999'],
    ['办结 #1', '没有找到走访记录 #1'], // #1 is a person, not a visit
  ])('when asked "%s", says what is wrong and what to do', async (text, expected) => {
    const [reply] = await say(t, 'boss', text)

    expect(reply).toContain(expected)
  })

  it('refuses to close a visit that found no need', async () => {
    const plain = (await visit(t, town, '李二')).record.id

    const [reply] = await say(t, 'boss', `办结 #${plain}`)

    expect(reply).toBe(`#${plain} 没有记录困难需求，无需办结。`)
  })

  it('when a visit with a case is withdrawn, the case leaves the list and the counters', async () => {
    await say(t, 'admin', `撤销 #${zhang}`)

    const [reply] = await say(t, 'boss', '待办')

    expect(reply).not.toContain(`#${zhang}`)
    expect(await tally()).toMatchObject({ needs: 1, resolved: 0 })
    expect(await say(t, 'boss', `办结 #${zhang}`)).toEqual([`#${zhang} 已撤销，无需办结。`])
  })

  it('when a need is added to a visit with 修改, it becomes a case to close', async () => {
    const plain = (await visit(t, town, '李三')).record.id

    await say(t, 'admin', `修改 #${plain} 需求 缺少劳动力`)
    const [reply] = await say(t, 'li', '待办')

    expect(reply).toContain(`#${plain} 07-28 铁炉嘴村 李三：缺少劳动力`)
  })

  it('after cases are opened, closed and withdrawn, the counters reconcile with the records', async () => {
    await say(t, 'boss', `办结 #${zhao} 已报销`)
    await say(t, 'admin', `撤销 #${zhang}`)
    await say(t, 'admin', `修改 #${zhao} 需求 医疗费用二次报销`)

    const reconciler = new Reconciler({ redis: t.redis, keys: t.keys })
    const report = await reconciler.recountFromRecords()
    await t.redis.sadd(t.keys.openHelpCases('童家坝村'), '424242')
    const stray = await reconciler.recountFromRecords()

    expect(report.drift).toEqual([])
    expect(stray.drift).toEqual([
      { key: t.keys.openHelpCases('童家坝村'), field: '424242', stored: 1, expected: 0 },
    ])
  })

  it('when an open-case index drifted, reconcile --fix rebuilds it from the records', async () => {
    await t.redis.sadd(t.keys.openHelpCases('铁炉嘴村'), '424242')
    await t.redis.srem(t.keys.openHelpCases('童家坝村'), String(zhao))
    const reconciler = new Reconciler({ redis: t.redis, keys: t.keys })

    const fixed = await reconciler.recountFromRecords({ fix: true })
    const [reply] = await say(t, 'boss', '待办')

    expect(fixed).toMatchObject({ fixed: true })
    expect((await reconciler.recountFromRecords()).drift).toEqual([])
    expect(reply).toContain(`#${zhao}`)
    expect(reply).toContain(`#${zhang}`)
  })
})
