import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IncomingMessage, Platform } from '../../src/platforms/types.js'
import { AuditLog } from '../../src/records/audit-log.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-31 10:00 in Shanghai: inside the 八一 campaign window.
const NOW = new Date('2026-07-31T02:00:00Z')

let seq = 0

/** One message from a WeCom or DingTalk user, through the dispatcher as the adapters hand it. */
async function send(
  t: TestBot,
  platform: Platform,
  sender: IncomingMessage['sender'],
  text: string,
): Promise<string[]> {
  const message: IncomingMessage = {
    platform,
    messageId: `m-${++seq}`,
    chat: { platform, chatId: sender.userId, isGroup: false },
    sender,
    text,
    receivedAt: NOW,
  }
  return ((await t.bot.dispatcher.handle(message)) ?? []).map((r) => r.text)
}

const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

describe('replies and records name people, not accounts', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const nameEntries = async () =>
    (await new AuditLog({ redis: t.redis, keys: t.keys }).latest(50)).filter(
      (e) => e.action === 'role.name',
    )

  /** The binding's name once the write the dispatcher did not wait for has landed. */
  const settledName = async (userKey: string, expected: string | undefined) => {
    for (let i = 0; i < 50; i++) {
      const name = (await t.bot.services.roles.get(userKey))?.name
      if (name === expected) return name
      await new Promise((r) => setTimeout(r, 10))
    }
    return (await t.bot.services.roles.get(userKey))?.name
  }

  describe('设置角色 with a name', () => {
    it('when the name ends the line, stores it on the binding and says it with the account', async () => {
      const [cadre] = await say(t, 'admin', '设置角色 wecom:lisi 村干部 铁炉嘴村 李四')
      const [leader] = await say(t, 'admin', '设置角色 dingtalk:0123 领导 王镇长')

      expect(cadre).toBe('已设置 李四（wecom:lisi） 为村干部，负责 铁炉嘴村。')
      expect(leader).toBe('已设置 王镇长（dingtalk:0123） 为领导。')
      expect(await t.bot.services.roles.get('wecom:lisi')).toMatchObject({
        role: 'cadre',
        villages: ['铁炉嘴村'],
        name: '李四',
      })
      expect((await t.bot.services.roles.get('dingtalk:0123'))?.name).toBe('王镇长')
    })

    it('when the name follows 姓名, stores it wherever it stands, and a 少数民族 name with 「·」', async () => {
      const [named] = await say(t, 'admin', '设置角色 wecom:lisi 村干部 姓名 李四 铁炉嘴村')
      const [long] = await say(t, 'admin', '设置角色 wecom:ayi 领导 姓名：阿依古丽·买买提')

      expect(named).toBe('已设置 李四（wecom:lisi） 为村干部，负责 铁炉嘴村。')
      expect(long).toBe('已设置 阿依古丽·买买提（wecom:ayi） 为领导。')
    })

    it('when no name is given, keeps the contract’s forms and the name set before', async () => {
      const [plain] = await say(t, 'admin', '设置角色 wecom:lisi 村干部 铁炉嘴村 童家坝村')
      const [leader] = await say(t, 'admin', '设置角色 dingtalk:0123 领导')
      await say(t, 'admin', '设置角色 wecom:wang 村干部 铁炉嘴村 王五')
      const [moved] = await say(t, 'admin', '设置角色 wecom:wang 领导')
      const [everyone] = await say(t, 'admin', '设置角色 wecom:zhao 领导 全镇')

      expect(plain).toBe('已设置 wecom:lisi 为村干部，负责 铁炉嘴村、童家坝村。')
      expect(leader).toBe('已设置 dingtalk:0123 为领导。')
      expect((await t.bot.services.roles.get('wecom:lisi'))?.name).toBeUndefined()
      expect(moved).toBe('已设置 王五（wecom:wang） 为领导。')
      expect(await t.bot.services.roles.get('wecom:wang')).toMatchObject({
        role: 'leader',
        name: '王五',
      })
      expect(everyone).toBe('已设置 wecom:zhao 为领导。')
    })

    it('when a last word is close to a village, asks rather than taking it for a name', async () => {
      const [reply] = await say(t, 'admin', '设置角色 wecom:shi 村干部 铁炉嘴村 童家把')

      expect(reply).toMatch(/^还没有登记「童家把」，未设置。是不是「童家坝村」？/)
      expect(reply).toContain('「童家把」如是姓名，请写「姓名 童家把」。')
      expect(await t.bot.services.roles.get('wecom:shi')).toBeUndefined()
    })

    it.each([
      ['李|四', '「李|四」不像姓名：只写汉字'],
      ['李'.repeat(200), '姓名有 200 个字，最多 10 个字'],
      ['李四😀', '「李四😀」不像姓名：只写汉字'],
      ['Lisi', '「Lisi」不像姓名：只写汉字'],
      ['李', '姓名「李」只有一个字'],
    ])('refuses the name %s with how to write one, and stores nothing', async (name, problem) => {
      const [last] = await say(t, 'admin', `设置角色 wecom:lisi 村干部 铁炉嘴村 ${name}`)
      const [after] = await say(t, 'admin', `设置角色 wecom:lisi 领导 姓名 ${name}`)

      for (const reply of [last, after]) {
        expect(reply).toBe(
          `${problem}，未设置。\n姓名请写 2–10 个汉字（少数民族姓名用「·」隔开），放在最后，如「设置角色 wecom:lisi 村干部 铁炉嘴村 李四」或「设置角色 wecom:lisi 领导 姓名 李四」。`,
        )
      }
      expect(await t.bot.services.roles.get('wecom:lisi')).toBeUndefined()
    })

    it('设置角色 alone lists who has which role, by name with the account', async () => {
      await say(t, 'admin', '设置角色 wecom:lisi 村干部 铁炉嘴村 李四')

      const [list] = await say(t, 'admin', '设置角色')

      expect(list).toMatch(/^已设置角色的有 3 人：\n/)
      expect(list).toContain('\nsandbox:boss 领导\n')
      expect(list).toContain('\n李四（wecom:lisi） 村干部，铁炉嘴村\n')
    })
  })

  describe('走访人 and the duplicate lines', () => {
    it('when a WeCom cadre has a name, a new visit’s 走访人 is the name, not the account', async () => {
      await say(t, 'admin', '设置角色 wecom:lisi 村干部 铁炉嘴村 李四')

      const [reply] = await send(t, 'wecom', { userId: 'lisi' }, '走访 张三 今天 八一 慰问金500元')
      const id = idOf(reply)
      const [shown] = await say(t, 'boss', `查看 #${id}`)

      expect(await t.bot.services.records.getRecord(id)).toMatchObject({
        visitors: ['李四'],
        createdBy: 'wecom:lisi',
      })
      expect(shown).toMatch(/\n走访人 李四$/)
    })

    it('when a binding stored before names were kept has none, still reads and shows the id', async () => {
      await t.redis.hset(
        t.keys.roles(),
        'wecom:old',
        JSON.stringify({ role: 'cadre', villages: ['铁炉嘴村'], setBy: 'x', setAt: '' }),
      )

      const [reply] = await send(t, 'wecom', { userId: 'old' }, '走访 张三 今天 八一')

      expect(reply).toMatch(/^已登记 #\d+/)
      expect(await t.bot.services.records.getRecord(idOf(reply))).toMatchObject({
        visitors: ['old'],
      })
    })

    it('when a visit is sent twice, the held line names who logged the first, old visits too', async () => {
      const [first] = await say(t, 'li', '走访 张三 今天 八一 慰问金500元')
      await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴村 李明')

      const [held] = await say(t, 'li', '走访 张三 今天 八一 慰问金500元')

      expect(held).toBe(
        `张三 2026-07-31 已登记过八一走访（#${idOf(first)}，李明，慰问金 500 元），这次未登记。\n确是又一次走访请回复「确认」，否则不用回复。`,
      )
    })

    it('统计 今天 lists an old visit by the name of who logged it', async () => {
      const [first] = await say(t, 'li', '走访 张三 今天 八一 慰问金500元')
      await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴村 李明')

      const [today] = await say(t, 'boss', '统计 今天')

      expect(today).toContain(`#${idOf(first)} 铁炉嘴村 张三 八一 500 元，李明登记`)
      expect(today).not.toContain('li登记')
    })

    it('when an activity is sent twice, the held line names who logged the first', async () => {
      await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴村 李明')
      const [first] = await say(t, 'li', '活动 座谈会 今天 人数40')

      const [held] = await say(t, 'boss', '活动 铁炉嘴村 座谈会 今天 人数40')

      expect(held).toMatch(
        new RegExp(
          `^铁炉嘴村 2026-07-31 已登记过座谈会（#${idOf(first)}，李明，40 人），这次未登记。`,
        ),
      )
    })

    it('when a correction would repeat another visit, names who logged that one', async () => {
      await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴村 李明')
      const [one] = await say(t, 'li', '走访 张三 今天 八一')
      const [two] = await say(t, 'li', '走访 张三 昨天 八一')

      const [refused] = await say(t, 'li', `修改 #${idOf(two)} 日期 今天`)

      expect(refused).toContain(`（李明 登记）`)
      expect(refused).toMatch(new RegExp(`^改后会与 #${idOf(one)} 重复`))
    })
  })

  describe('DingTalk’s senderNick', () => {
    it('records the nick of a bound user once, and the visit is by that name at once', async () => {
      await say(t, 'admin', '设置角色 dingtalk:0123 村干部 铁炉嘴村')

      const [reply] = await send(
        t,
        'dingtalk',
        { userId: '0123', name: '赵丽' },
        '走访 张三 今天 八一',
      )
      const stored = await settledName('dingtalk:0123', '赵丽')
      await send(t, 'dingtalk', { userId: '0123', name: '赵丽' }, '我的记录')
      await send(t, 'dingtalk', { userId: '0123', name: '赵丽' }, '统计')

      expect(await t.bot.services.records.getRecord(idOf(reply))).toMatchObject({
        visitors: ['赵丽'],
      })
      expect(stored).toBe('赵丽')
      const entries = await nameEntries()
      expect(entries.map((e) => [e.actor, e.record])).toEqual([
        ['dingtalk:0123', 'role|dingtalk:0123'],
      ])
      expect(await t.bot.services.roles.get('dingtalk:0123')).toMatchObject({
        role: 'cadre',
        villages: ['铁炉嘴村'],
      })
    })

    it('replaces a different name, and leaves an unusable nick and unbound users alone', async () => {
      await say(t, 'admin', '设置角色 dingtalk:0123 领导 王五')

      await send(t, 'dingtalk', { userId: '0123', name: '王五😀' }, '统计')
      await send(t, 'dingtalk', { userId: 'stranger', name: '路人' }, '统计')
      const kept = await settledName('dingtalk:0123', '王五')
      await send(t, 'dingtalk', { userId: '0123', name: '王小五' }, '统计')
      const renamed = await settledName('dingtalk:0123', '王小五')

      expect(kept).toBe('王五')
      expect(renamed).toBe('王小五')
      expect(await t.bot.services.roles.get('dingtalk:stranger')).toBeUndefined()
      expect(await nameEntries()).toHaveLength(1)
    })
  })
})
