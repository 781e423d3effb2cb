import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, seedTown } from '../support/town.js'

// 2026-12-02 10:00 in Asia/Shanghai: 春节 2027 (02-06) is the coming one.
const NOW = new Date('2026-12-02T02:00:00Z')

/** The record a reply names (已登记 #N). */
const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

describe('a visit line’s 备注 or 需求 that says there is no need (tester, 2026-12)', () => {
  let t: TestBot

  const record = (id: number) => t.bot.services.records.getRecord(id)

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
    await t.bot.services.people.addPerson(
      { name: '陈秀兰', village: '铁炉嘴村', category: '烈士遗属' },
      adminMeta(),
    )
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('备注 身体健康，无特殊需求 is stored as the visit’s notes and opens no case', async () => {
    const [reply] = await say(
      t,
      'li',
      '走访 陈秀兰 今天 元旦 慰问金300元 备注 身体健康，无特殊需求',
    )

    expect(reply).toMatch(
      /^已登记 #\d+：2026-12-02 元旦走访（2027 元旦）铁炉嘴村 陈秀兰（烈士遗属）\n慰问金 300 元；备注：身体健康，无特殊需求\n/,
    )
    expect(reply).not.toContain('待办')
    expect(await record(idOf(reply))).toMatchObject({
      notes: '身体健康，无特殊需求',
      needs: undefined,
    })
    expect((await say(t, 'li', '待办'))[0]).toMatch(/^没有待办的帮扶事项/)
  })

  it('需求 无 stores no need', async () => {
    const [reply] = await say(t, 'li', '走访 陈秀兰 今天 元旦 慰问金300元 需求 无')

    expect(reply).toContain('慰问金 300 元；备注：无')
    expect(reply).not.toContain('待办')
    expect(await record(idOf(reply))).toMatchObject({ notes: '无', needs: undefined })
  })

  it('备注 问了家里情况怎么样 names no need and is notes', async () => {
    const [reply] = await say(t, 'li', '走访 张三 7月30日 八一 慰问金300元 备注 问了家里情况怎么样')

    expect(reply).toContain('；备注：问了家里情况怎么样')
    expect(await record(idOf(reply))).toMatchObject({ notes: '问了家里情况怎么样' })
  })

  it('a 备注 that names a need is still a need, whatever script it is written in', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 日常 備註：身體健康，房屋漏雨需修繕。')

    // Read as folded (修缮 is a need), stored as typed.
    expect(reply).toContain('需求：身體健康，房屋漏雨需修繕。（已记为待办）')
    expect(await record(idOf(reply))).toMatchObject({ needs: '身體健康，房屋漏雨需修繕。' })
    expect((await say(t, 'li', '待办'))[0]).toContain('房屋漏雨需修繕')
  })

  it('a 备注 over several lines of one visit is one need, its lines joined by a space', async () => {
    const [reply] = await say(t, 'li', '走访 张三\n今天\n日常\n备注：房屋漏雨，\n需要修缮')

    expect(await record(idOf(reply))).toMatchObject({ needs: '房屋漏雨， 需要修缮' })
  })

  it('one visit a line: each line’s notes are its own', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 日常\n走访 张三 今天 日常 备注 一切安好！')

    const ids = [...reply!.matchAll(/#(\d+)：/g)].map((m) => Number(m[1]))
    expect(await record(ids[0]!)).toMatchObject({ notes: undefined })
    expect(await record(ids[1]!)).toMatchObject({ notes: '一切安好！', needs: undefined })
  })

  it('in a village group the notes are not shown, only that there are some', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 日常 慰问金300元 备注 身体健康', {
      chat: 'village-group',
    })

    expect(reply).toContain('慰问金 300 元；有备注（私聊查看）')
    expect(reply).not.toContain('身体健康')
  })

  it('查看 #N shows the notes', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 日常 慰问金300元 备注 身体健康')

    const [shown] = await say(t, 'li', `查看 #${idOf(reply)}`)

    expect(shown).toContain('\n备注：身体健康\n')
  })
})
