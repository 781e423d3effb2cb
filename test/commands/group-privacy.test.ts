import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-12-02 10:00 in Asia/Shanghai.
const DEC_2 = new Date('2026-12-02T02:00:00Z')
const NEED = '孙子看病需要医疗救助'

describe('a need found on a visit stays out of group chats', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => DEC_2 })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('a visit logged in a village group says a need was recorded, not what it is', async () => {
    const [reply] = await say(t, 'li', `走访 张三 今天 日常 慰问金300元 备注 ${NEED}`, {
      chat: 'village-group',
    })

    expect(reply).toContain('发现需求 1 项，已记为待办（私聊回复「待办」查看）')
    expect(reply).not.toContain(NEED)
    const [todo] = await say(t, 'li', '待办')
    expect(todo).toContain(NEED)
  })

  it('in a private chat the reply shows the need, as before', async () => {
    const [reply] = await say(t, 'li', `走访 张三 今天 日常 备注 ${NEED}`)

    expect(reply).toContain(`需求：${NEED}（已记为待办）`)
  })

  it('待办 asked in a group points to a private chat and lists nothing', async () => {
    await say(t, 'li', `走访 张三 今天 日常 备注 ${NEED}`)

    const [reply] = await say(t, 'li', '待办', { chat: 'village-group' })

    expect(reply).toBe('待办涉及群众的困难和隐私，\n请私聊我回复「待办」查看。')
  })

  it("a person's notes stay out of a group too (a tester saw 「备注 患癌症，家庭困难」 there)", async () => {
    await say(t, 'admin', '添加对象 周一 铁炉嘴村 烈士遗属 备注 患癌症，家庭困难')

    const [group] = await say(t, 'li', '对象 周一', { chat: 'village-group' })
    const [own] = await say(t, 'li', '对象 周一')

    expect(group).toContain('有备注（私聊查看）')
    expect(group).not.toContain('患癌症')
    expect(own).toContain('备注 患癌症，家庭困难')
  })
})
