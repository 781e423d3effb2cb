import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CampaignLedger } from '../../src/records/campaign-ledger.js'
import { StoredAllowanceDeadlines } from '../../src/reminders/allowance-deadlines.js'
import { RecordCampaignContent } from '../../src/reminders/campaign-content.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { unwrapped } from '../support/reply-width.js'
import { displayWidth, REPLY_WIDTH } from '../../src/replies/display-width.js'

// 2027-07-23 10:00 Shanghai: the 八一 2027 reminder of 07-23 (7 days before, a Friday).
const NOW = new Date('2027-07-23T02:00:00Z')

describe('campaign reminder contents from the records', () => {
  let t: TestBot
  let content: RecordCampaignContent

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    for (const line of [
      '添加对象 王五 铁炉嘴村 在乡复员军人',
      '添加对象 赵六 铁炉嘴村 烈士遗属',
      '添加对象 钱七 童家坝村 残疾军人 五级',
      '确认',
      '添加对象 孙八 新街社区 义务兵家庭 城镇',
      '确认',
      '设置角色 sandbox:li 村干部 铁炉嘴村',
      '设置角色 sandbox:tong 村干部 童家坝村',
      '设置角色 sandbox:boss 领导',
      '优待金标准 2027 农村5800 城镇8600',
    ]) {
      await say(t, 'admin', line)
    }
    await say(t, 'tong', '走访 钱七 7月22日 八一')
    const { services } = t.bot
    content = new RecordCampaignContent({
      roles: services.roles,
      tallies: services.tallies,
      groups: services.groups,
      visits: services.visits,
      ledger: new CampaignLedger(t.redis, t.keys),
      deadlines: new StoredAllowanceDeadlines({
        allowances: services.allowances,
        timezone: 'Asia/Shanghai',
        now: () => NOW,
      }),
      now: () => NOW,
    })
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const byRecipient = (messages: Awaited<ReturnType<RecordCampaignContent['messagesFor']>>) =>
    Object.fromEntries(
      messages.map((m) => [
        m.target.kind === 'chat' ? m.target.chat.chatId : 'robot',
        m.reply.text,
      ]),
    )

  it('sends each cadre only their villages unvisited households, the leader the summary, and nothing to a cadre who is done', async () => {
    const messages = byRecipient(await content.messagesFor('八一', 2027, '2027-07-23'))

    expect(Object.keys(messages).sort()).toEqual(['boss', 'li'])
    expect(messages.li).toBe(
      '【八一走访提醒】距八一还有 9 天（08-01 周日）。\n铁炉嘴村尚有 2 户未走访：\n1. 王五（在乡复员军人）\n2. 赵六（烈士遗属）\n走访后回复「走访 姓名 日期」登记。',
    )
    expect(unwrapped(messages.boss!)).toContain('全镇应访 4 户，已访 1 户（25%）')
    expect(unwrapped(messages.boss!)).toContain('未走访 3 户：铁炉嘴村 2 户、新街社区 1 户')
  })

  it('reminds cadres and leaders of open help cases by count, and tells a group nothing of them', async () => {
    await say(t, 'admin', '绑定群 铁炉嘴村', { chat: 'tlz-group' })
    await say(t, 'li', '走访 王五 7月20日 日常 备注 医疗费用报销')

    const messages = byRecipient(await content.messagesFor('八一', 2027, '2027-07-23'))

    expect(messages.li).toMatch(/\n另有待办帮扶 1 件未办结，回复「待办」查看。$/)
    expect(messages.boss).toMatch(/\n另有待办帮扶 1 件未办结，回复「待办」查看。$/)
    expect(messages['tlz-group']).not.toContain('帮扶')
    expect(messages['tlz-group']).not.toContain('医疗')
  })

  it('sends a bound village group its village list', async () => {
    await say(t, 'admin', '绑定群 铁炉嘴村', { chat: 'tlz-group' })

    const messages = byRecipient(await content.messagesFor('八一', 2027, '2027-07-23'))

    expect(messages['tlz-group']).toMatch(/^【八一走访提醒】.*\n铁炉嘴村尚有 2 户未走访：/)
  })

  it('when every household is visited, tells leaders once and nobody else', async () => {
    for (const name of ['王五', '赵六', '孙八']) await say(t, 'boss', `走访 ${name} 7月22日 八一`)

    const first = byRecipient(await content.messagesFor('八一', 2027, '2027-07-23'))
    const second = await content.messagesFor('八一', 2027, '2027-07-29')

    expect(Object.keys(first)).toEqual(['boss'])
    expect(first.boss).toMatch(/2027 年八一走访已全部完成/)
    expect(second).toEqual([])
  })

  it('before the allowance deadline, lists the unpaid conscript families for the leader', async () => {
    const messages = byRecipient(await content.messagesFor('优待金截止', 2027, '2027-07-28'))

    expect(messages.boss).toBe(
      '【优待金发放提醒】2027 年截止 07-31（周六），还有 3 天。\n应发 1 户，已发 0 户 0 元；未发 1 户：\n新街社区 孙八。',
    )
    expect(messages.li).toBeUndefined()
  })

  it('gives a leader the percentage 统计 gives at the same moment (1 of 6 is 17%, not 16%)', async () => {
    await say(t, 'admin', '添加对象 周一 铁炉嘴村 在乡复员军人')
    await say(t, 'admin', '添加对象 周二 铁炉嘴村 在乡复员军人')

    const messages = byRecipient(await content.messagesFor('八一', 2027, '2027-07-23'))
    const [tally] = await say(t, 'boss', '统计 八一')

    expect(unwrapped(messages.boss!)).toContain('全镇应访 6 户，已访 1 户（17%）')
    expect(unwrapped(tally!)).toContain('应访 6 户，已访 1 户（17%）')
  })

  it('lists a leader the unpaid by village, each village once, ten names, on lines that fit a phone', async () => {
    for (let i = 0; i < 8; i++) {
      await say(
        t,
        'admin',
        `添加对象 吴${'一二三四五六七八'[i]} ${i < 5 ? '铁炉嘴村' : '童家坝村'} 义务兵家庭 农村`,
      )
    }

    const messages = byRecipient(await content.messagesFor('优待金截止', 2027, '2027-07-28'))
    const text = messages.boss!

    expect(unwrapped(text)).toContain(
      '未发 9 户：铁炉嘴村 吴一、吴二、吴三、吴四、吴五；童家坝村 吴六、吴七、吴八；新街社区 孙八。',
    )
    expect(text.match(/铁炉嘴村/g)).toHaveLength(1)
    for (const line of text.split('\n').slice(1)) {
      expect(displayWidth(line), line).toBeLessThanOrEqual(REPLY_WIDTH)
    }
  })
})
