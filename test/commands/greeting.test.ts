import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { displayWidth } from '../../src/replies/display-width.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-12-02 10:00 in Asia/Shanghai: the examples' dates become 12-01, the campaign 元旦 (the nearest).
const NOW = new Date('2026-12-02T02:00:00Z')

describe('你好 fits a phone (a tester: 23 lines)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when a cadre greets, says who it is, four lines of a cadre’s work and 「帮助」', async () => {
    const [reply] = await say(t, 'li', '你好')

    expect(reply).toBe(
      [
        '您好！我是双拥助手，登记走访、查进度。',
        '您是村干部（铁炉嘴村），可以这样用：',
        '· 走访 张三 12月1日 元旦 慰问金500元',
        '· 发放优待金 李四 12月1日',
        '· 未走访',
        '· 未发放 2026',
        '也可以直接问，如「还有谁没走访」。',
        '发「帮助」看全部命令。',
      ].join('\n'),
    )
  })

  it('when a leader greets, shows the leader’s questions', async () => {
    const [reply] = await say(t, 'boss', '您好！')

    expect(reply!.split('\n').slice(1, 6)).toEqual([
      '您是领导，可以这样用：',
      '· 统计',
      '· 未走访',
      '· 未发放 2026',
      '· 年报 2026',
    ])
  })

  it('when an admin greets, shows the admin’s set-up', async () => {
    const [reply] = await say(t, 'admin', 'hi')

    expect(reply!.split('\n').slice(1, 6)).toEqual([
      '您是管理员，可以这样用：',
      '· 添加对象 张三 铁炉嘴村 残疾军人',
      '· 设置角色 wecom:lisi 村干部 铁炉嘴村',
      '· 优待金标准 2026 农村5800 城镇8600',
      '· 统计',
    ])
  })

  it.each([
    ['li', '你好'],
    ['boss', '在吗？'],
    ['admin', '怎么用'],
  ])('when %s sends %s, answers in at most 12 lines of phone width', async (user, text) => {
    const [reply] = await say(t, user, text)

    const lines = reply!.split('\n')
    expect(lines.length).toBeLessThanOrEqual(12)
    expect(lines.filter((l) => displayWidth(l) > 40)).toEqual([])
    expect(lines.at(-1)).toBe('发「帮助」看全部命令。')
  })

  it('when every example of the greeting is sent, each is answered, none refused', async () => {
    for (const user of ['li', 'boss', 'admin']) {
      const [reply] = await say(t, user, '你好')
      const examples = reply!
        .split('\n')
        .filter((l) => l.startsWith('· '))
        .map((l) => l.slice(2))

      for (const example of examples) {
        const answers = (await say(t, user, example)).join('\n')
        await say(t, user, '取消')
        expect(answers, `${user}: ${example}`).not.toMatch(/没看懂|需要.*权限|不在您负责/)
      }
    }
  })
})

describe('谢谢, 收到, 好的 with nothing open', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['谢谢', '不客气。'],
    ['谢谢！', '不客气。'],
    ['辛苦了', '不客气。'],
    ['收到', '好的。'],
    ['好的。', '好的。'],
    ['知道了', '好的。'],
  ])('「%s」 is answered with a courtesy, not 没看懂', async (said, opening) => {
    expect(await say(t, 'li', said)).toEqual([`${opening}有事直接发消息，不会写可回复「帮助」。`])
  })

  it('a form waiting for an answer still reads 好的 itself', async () => {
    await say(t, 'li', '走访 张三')

    const [reply] = await say(t, 'li', '好的')

    expect(reply).toMatch(/^没看懂日期「好的」/)
  })

  it('an unregistered sender is still told whom to ask', async () => {
    expect(await say(t, 'stranger', '谢谢')).toEqual([
      '您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：sandbox:stranger',
    ])
  })
})
