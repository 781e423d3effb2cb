import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown, type Town } from '../support/town.js'

// 2026-07-31 10:00 in Asia/Shanghai, the day before 八一.
const NOW = new Date('2026-07-31T02:00:00Z')

describe('撤销 with a reason and 修改 上一条 (session 7)', () => {
  let t: TestBot
  let town: Town

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    town = await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

  describe('撤销 #N 原因 …', () => {
    it('withdraws a visit and shows the reason', async () => {
      const id = idOf((await say(t, 'li', '走访 张三 今天 八一 慰问金500元'))[0])

      const [reply] = await say(t, 'li', `撤销 #${id} 原因 重复登记`)

      expect(reply).toBe(
        `已撤销 #${id}：2026-07-31 八一走访 铁炉嘴村 张三，慰问金 500 元，撤销原因：重复登记。\n统计中已扣除，原记录保留在审计日志中。`,
      )
      expect(await t.bot.services.records.getRecord(id)).toMatchObject({ status: 'withdrawn' })
    })

    it('reads a reason written without 原因 when it has no digit, and 删除 as 撤销 (a tester)', async () => {
      const a = idOf((await say(t, 'li', '走访 张三 今天 八一'))[0])
      const b = idOf((await say(t, 'li', '走访 李一 今天 八一'))[0])

      const [plain] = await say(t, 'li', `撤销 #${a} 写错了`)
      const [deleted] = await say(t, 'li', `删除 #${b}`)

      expect(plain).toMatch(new RegExp(`^已撤销 #${a}：.* 张三，撤销原因：写错了。\n`))
      expect(deleted).toMatch(new RegExp(`^已撤销 #${b}：.* 李一。\n`))
    })

    it('reads 因为 and 理由, in traditional text, for several records and for 上一条', async () => {
      const a = idOf((await say(t, 'boss', '活动 座谈会 今天 人数40'))[0])
      const b = idOf((await say(t, 'boss', '活动 表彰会 今天 人数20'))[0])
      const c = idOf((await say(t, 'boss', '活动 晚会 今天 观众300人'))[0])

      const [two] = await say(t, 'boss', `撤銷 #${a} #${b} 因為：錄錯了`)
      const [last] = await say(t, 'boss', '撤銷上一條 理由 重複')

      expect(two).toContain(`已撤销 2 条：\n#${a} `)
      expect(two).toMatch(/座谈会 40 人，撤销原因：录错了\n/)
      expect(last).toMatch(
        new RegExp(`^您的上一条登记：已撤销 #${c}：.*晚会 300 人，撤销原因：重复。`),
      )
    })

    it('stores the reason: 查看 and 我的记录 show it with the withdrawal', async () => {
      const id = idOf((await say(t, 'li', '走访 张三 今天 八一 慰问金500元'))[0])
      const plain = idOf((await say(t, 'li', '活动 座谈会 今天 人数40'))[0])
      await say(t, 'li', `撤销 #${id} 原因 重复登记`)
      await say(t, 'li', `撤销 #${plain}`)

      const [shown] = await say(t, 'li', `查看 #${id}`)
      const [mine] = await say(t, 'li', '我的记录')

      expect(await t.bot.services.records.getRecord(id)).toMatchObject({
        status: 'withdrawn',
        withdrawReason: '重复登记',
      })
      expect(shown).toMatch(new RegExp(`^#${id}（已撤销：重复登记） 走访\n`))
      expect(mine).toMatch(new RegExp(`#${id} 八一走访 张三 07-31（已撤销：重复登记）`))
      expect(mine).toMatch(new RegExp(`#${plain} 活动 .*座谈会，40 人（已撤销）`))
    })

    it('a redelivered 撤销上一条 names the reason it stored', async () => {
      idOf((await say(t, 'li', '走访 张三 今天 八一'))[0])
      const [first] = await say(t, 'li', '撤销上一条 原因 录错了', { id: 'undo-why' })
      // As if the attempt had died after its write and before answering: the platform retries.
      await t.redis.del(t.keys.seenMessage('sandbox', 'undo-why'))
      const [again] = await say(t, 'li', '撤销上一条 原因 录错了', { id: 'undo-why' })

      expect(first).toMatch(/撤销原因：录错了。/)
      expect(again).toBe(first)
    })

    it('asks for the reason when 原因 has none, and withdraws nothing', async () => {
      const id = idOf((await say(t, 'li', '走访 张三 今天 八一'))[0])

      const [reply] = await say(t, 'li', `撤销 #${id} 原因`)

      expect(reply).toBe('未撤销：请在「原因」后写明原因，如「撤销 #128 原因 重复登记」。')
      expect(await t.bot.services.records.getRecord(id)).toMatchObject({ status: 'active' })
    })

    it('still refuses a stray word, and a removal reason after a visit', async () => {
      const id = idOf((await say(t, 'li', '走访 张三 今天 八一'))[0])

      const [stray] = await say(t, 'li', `撤销 #${id} 张三`)
      const [removal] = await say(t, 'li', `撤销 #${id} 原因 去世`)

      expect(stray).toMatch(/^「张三」不是记录号，未撤销任何记录。/)
      expect(removal).toMatch(new RegExp(`^未撤销：#${id} 是走访记录，不是花名册上的对象。`))
    })

    it('reads 因为 before a person’s removal reason', async () => {
      const id = town.people['赵六']!.id

      const [reply] = await say(t, 'boss', `撤销 #${id} 因为 迁出 搬到县城`)

      expect(reply).toMatch(/移出原因：迁出（搬到县城）。/)
    })
  })

  describe('修改 上一条', () => {
    it('corrects the sender’s newest record, simplified and traditional', async () => {
      const first = idOf((await say(t, 'li', '走访 张三 今天 八一 慰问金500元'))[0])
      const payment = idOf((await say(t, 'li', '发放优待金 李一 今天'))[0])

      const [visitReply] = await say(t, 'boss', '修改 上一条 金额 800元')
      const [reply] = await say(t, 'li', '修改 上一条 金额 5800元')
      const [traditional] = await say(t, 'li', '修改上一條 備註 補發差額')

      expect(visitReply).toMatch(/^没有找到您登记且未撤销的记录。要修改别人登记的，请写记录号/)
      expect(reply).toMatch(new RegExp(`^#${payment} 没有变化`))
      expect(traditional).toMatch(new RegExp(`^已修改 #${payment} .*备注 无 → 补发差额$`))
      await say(t, 'li', `撤销 #${payment}`)
      const [visit] = await say(t, 'li', '修改 上一条 金额 800元')
      expect(visit).toBe(`已修改 #${first} 铁炉嘴村 张三 八一走访：慰问金 500 元 → 800 元`)
    })
  })
})

describe('帮助 修改 and 帮助 撤销 name the new forms (session 7)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('shows 修改 上一条 and 撤销 … 原因', async () => {
    const [correct] = await say(t, 'li', '帮助 修改')
    const [withdraw] = await say(t, 'li', '幫助 撤銷')

    expect(correct).toContain('修改 上一条 金额 800元')
    expect(withdraw).toContain('撤销 #128 原因 重复登记')
  })
})
