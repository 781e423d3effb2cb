import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-12-02 10:00 in Asia/Shanghai: outside every campaign window, so a visit asks its occasion.
const NOW = new Date('2026-12-02T02:00:00Z')

const OCCASION_QUESTION = /^这次是哪类走访？/
const DATE_QUESTION = '走访日期？如「今天」「7月30日」。'

describe('forms never lose work silently (issue 11)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const visits = async () => (await t.bot.services.tallies.readCampaignTally(2026, '日常')).total
  const payments = async () => (await t.bot.services.tallies.readAllowanceTally(2026)).total

  describe('a command in the middle of a form', () => {
    it('when 帮助 comes while a visit waits for its date, answers it and says what the form still needs', async () => {
      await say(t, 'li', '走访')
      const [asked] = await say(t, 'li', '张三')

      const replies = await say(t, 'li', '帮助 走访')
      const [next] = await say(t, 'li', '昨天')

      expect(asked).toBe(DATE_QUESTION)
      expect(replies).toEqual([
        expect.stringMatching(/^「走访」登记一次走访慰问/),
        '您的走访登记还在进行：张三，还差日期。直接回复日期继续，回复「取消」放弃。',
      ])
      expect(next).toMatch(OCCASION_QUESTION)
    })

    it('when a question comes after the date, names what is filled and finishes on the next answers', async () => {
      await say(t, 'li', '走访 张三')
      await say(t, 'li', '昨天')

      const replies = await say(t, 'li', '对象 张三')
      await say(t, 'li', '日常')
      const [stored] = await say(t, 'li', '无')

      expect(replies[0]).toMatch(/^#\d+ \S+（/)
      expect(replies.at(-1)).toBe(
        '您的走访登记还在进行：张三 2026-12-01，还差走访类别。直接回复类别（如「日常」）继续，回复「取消」放弃。',
      )
      expect(stored).toMatch(/^已登记 #\d+：2026-12-01 日常走访 铁炉嘴村 张三/)
      expect((await visits()).visits).toBe(1)
    })

    it('when the command is refused, still says the form is open', async () => {
      await say(t, 'li', '走访 张三')

      const replies = await say(t, 'li', '年报 2026')

      expect(replies).toEqual([
        expect.stringMatching(/^「年报」需要领导及以上权限/),
        '您的走访登记还在进行：张三，还差日期。直接回复日期继续，回复「取消」放弃。',
      ])
    })

    it('when a visit waits for a choice among namesakes, says which choice and how to reply', async () => {
      await say(t, 'admin', '添加对象 张伟 铁炉嘴村 烈士遗属')
      await say(t, 'admin', '添加对象 张伟 童家坝村 带病回乡退伍军人')
      const [list] = await say(t, 'boss', '走访 张伟')

      const replies = await say(t, 'boss', '对象 李一')
      const [next] = await say(t, 'boss', '2')

      expect(list).toMatch(/^有 2 位张伟，请回复序号：/)
      expect(replies.at(-1)).toBe(
        '您的走访登记还在进行，还差选哪位张伟。直接回复序号继续，回复「取消」放弃。',
      )
      expect(next).toBe(DATE_QUESTION)
    })

    it('when a payment form waits for the family, says so in the payment form’s words', async () => {
      await say(t, 'li', '发放优待金')

      const replies = await say(t, 'li', '帮助')

      expect(replies.at(-1)).toBe(
        '您的优待金发放登记还在进行，还差发给哪一户。直接回复姓名继续，回复「取消」放弃。',
      )
    })

    it('when an activity form waits for its date, says so in the activity form’s words', async () => {
      await say(t, 'li', '活动 军训')

      const replies = await say(t, 'li', '帮助')

      expect(replies.at(-1)).toBe(
        '您的活动登记还在进行：军训 铁炉嘴村，还差日期。直接回复日期继续，回复「取消」放弃。',
      )
    })

    it('when 取消提醒 comes, runs it and keeps the form: it is its own command, not 取消', async () => {
      await say(t, 'li', '走访 张三')

      const replies = await say(t, 'li', '取消提醒 3')

      expect(replies).toHaveLength(2)
      expect(replies[1]).toBe(
        '您的走访登记还在进行：张三，还差日期。直接回复日期继续，回复「取消」放弃。',
      )
    })

    it.each(['取消', '算了', '退出'])('when %s comes, stops the form as before', async (word) => {
      await say(t, 'li', '走访 张三')

      const [cancelled] = await say(t, 'li', word)
      const [after] = await say(t, 'li', '昨天')

      expect(cancelled).toBe('已取消，未登记任何内容。')
      expect(after).toMatch(/^没看懂这条消息/)
    })
  })

  describe('a new record while a form is open', () => {
    it('when a second 走访 starts, sets the first aside and says so before the new question', async () => {
      await say(t, 'li', '走访 张三')

      const [reply] = await say(t, 'li', '走访')
      const [next] = await say(t, 'li', '李一')

      expect(reply).toBe(
        [
          '之前未完成的走访登记（张三，还差日期）已放下。',
          '走访谁？请回复姓名（可加村名），如「张三」或「铁炉嘴村 张三」。回复「取消」退出。',
        ].join('\n'),
      )
      expect(next).toBe(DATE_QUESTION)
    })

    it('when an activity starts while a visit waits, sets the visit aside', async () => {
      await say(t, 'li', '走访 张三')

      const [reply] = await say(t, 'li', '活动')

      expect(reply).toMatch(/^之前未完成的走访登记（张三，还差日期）已放下。\n是什么活动？/)
    })

    it('when a one-line payment is stored while a visit waits, keeps the visit and says so after', async () => {
      await say(t, 'li', '走访 张三')

      const replies = await say(t, 'li', '发放优待金 李一 11月20日')
      const [next] = await say(t, 'li', '昨天')

      expect(replies).toEqual([
        expect.stringMatching(/^已登记 #\d+：2026-11-20 发放 2026 年优待金 铁炉嘴村 李一/),
        '您的走访登记还在进行：张三，还差日期。直接回复日期继续，回复「取消」放弃。',
      ])
      expect(next).toMatch(OCCASION_QUESTION)
    })

    it('when a command comes instead of 「确认」 for a second payment, says once that it was not stored', async () => {
      await say(t, 'li', '发放优待金 李一 11月20日')
      await say(t, 'li', '发放优待金 李一 11月25日')

      const replies = await say(t, 'li', '对象 李一')
      const [later] = await say(t, 'li', '对象 李一')

      expect(replies).toEqual([
        expect.stringMatching(/^#\d+ \S+（/),
        '之前等您「确认」的优待金发放登记（李一 2026-11-25）已放下，未登记。',
      ])
      expect(later).toMatch(/^#\d+ \S+（/)
      expect((await payments()).payments).toBe(1)
    })

    it('when a new 走访 comes instead of 「确认」 for a same-day visit, says the held one was not stored before the question', async () => {
      await say(t, 'li', '走访 张三 今天 日常')
      await say(t, 'li', '走访 张三 今天 日常 慰问金200元')

      const [reply] = await say(t, 'li', '走访')

      expect(reply).toMatch(
        /^之前等您「确认」的走访登记（张三 2026-12-02 日常 慰问金 200 元）已放下，未登记。\n走访谁？/,
      )
      expect((await visits()).visits).toBe(1)
    })
  })

  describe('a person held for 「确认」', () => {
    it('when a command comes instead of 「确认」, says after its reply that the person was not added', async () => {
      const [held] = await say(t, 'admin', '添加对象 李一 铁炉嘴村 义务兵家庭')

      const replies = await say(t, 'admin', '对象 李一')

      expect(held).toMatch(/^李一可能已在花名册上，这次未添加：/)
      expect(replies).toEqual([
        expect.stringMatching(/^#\d+ \S+（/),
        '之前等您「确认」的添加对象（铁炉嘴村 李一）已放下，未登记。',
      ])
    })
  })

  describe('a payment written without a date', () => {
    it('says it took today and how to change it', async () => {
      const [stored] = await say(t, 'li', '发放优待金 李一')

      const id = /#(\d+)/.exec(stored!)![1]
      expect(stored).toBe(
        [
          `已登记 #${id}：2026-12-02 发放 2026 年优待金 铁炉嘴村 李一（农村）5,800 元（按 2026 年农村标准）`,
          `铁炉嘴村已发 1/3 户。撤销请回复「撤销 #${id}」`,
          '已过 2026 年截止日期（07-31）124 天。',
          `日期按今天（12-02）登记；不是今天请改，如「修改 #${id} 日期 昨天」。`,
        ].join('\n'),
      )
    })

    it('when the cadre follows the note, the payment moves to the date given', async () => {
      const [stored] = await say(t, 'li', '发放优待金 李一')
      const id = /#(\d+)/.exec(stored!)![1]

      const [corrected] = await say(t, 'li', `修改 #${id} 日期 昨天`)

      expect(corrected).toBe(
        `已修改 #${id} 铁炉嘴村 李一 2026 年优待金：日期 2026-12-02 → 2026-12-01`,
      )
    })

    it('when asked for the family first, says so on the stored reply too', async () => {
      await say(t, 'li', '发放优待金')

      const [stored] = await say(t, 'li', '李一')

      expect(stored).toMatch(
        /\n日期按今天（12-02）登记；不是今天请改，如「修改 #\d+ 日期 昨天」。$/,
      )
    })

    it('when a date is written, says nothing of today', async () => {
      const [stored] = await say(t, 'li', '发放优待金 李一 11月20日')

      expect(stored).not.toMatch(/按今天/)
    })
  })

  describe('取消 with nothing open', () => {
    it.each(['取消', '退出', '算了'])(
      'when %s is sent, says there is nothing to cancel',
      async (word) => {
        const [reply] = await say(t, 'li', word)

        expect(reply).toBe('没有正在进行的登记，无需取消。')
      },
    )

    it('when words follow it, points to 撤销 and 取消提醒', async () => {
      const [reply] = await say(t, 'li', '取消 #12')

      expect(reply).toBe(
        '没有正在进行的登记，无需取消。\n撤销已登记的记录请回复「撤销 #编号」；取消提醒请回复「取消提醒 编号」。',
      )
    })

    it('is not listed in 帮助', async () => {
      const [help] = await say(t, 'li', '帮助')

      expect(help).not.toMatch(/· 取消\n/)
    })
  })
})
