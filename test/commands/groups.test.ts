import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'

describe('绑定群', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
    await say(t, 'admin', '添加对象 张三 铁炉嘴村 烈士遗属')
    await say(t, 'admin', '添加对象 李四 童家坝村 烈士遗属')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when sent in a group, binds the villages to that group', async () => {
    const [reply] = await say(t, 'admin', '绑定群 铁炉嘴村 童家坝', { chat: 'village-group' })

    const bindings = await t.bot.services.groups.all()
    expect(reply).toBe('已绑定：铁炉嘴村、童家坝村 的八一、春节、优待金提醒将推送到本群。')
    expect(bindings.get('铁炉嘴村')?.target).toEqual({
      kind: 'chat',
      chat: { platform: 'sandbox', chatId: 'village-group', isGroup: true },
    })
  })

  it('binds a WeCom group robot by its webhook address, and a DingTalk custom robot with its secret', async () => {
    await say(
      t,
      'admin',
      '绑定群 铁炉嘴村 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7abc-4bc4-97a0-0ec2bcfa5aaa',
    )
    await say(
      t,
      'admin',
      '绑定群 童家坝村 https://oapi.dingtalk.com/robot/send?access_token=abc123 SEC0123abcd',
    )

    const bindings = await t.bot.services.groups.all()
    expect(bindings.get('铁炉嘴村')?.target).toEqual({
      kind: 'robot',
      robot: { platform: 'wecom', webhookKey: '693a91f6-7abc-4bc4-97a0-0ec2bcfa5aaa' },
    })
    expect(bindings.get('童家坝村')?.target).toEqual({
      kind: 'robot',
      robot: { platform: 'dingtalk', accessToken: 'abc123', secret: 'SEC0123abcd' },
    })
  })

  it('when sent in a private chat without a robot address, says where to send it', async () => {
    const [reply] = await say(t, 'admin', '绑定群 铁炉嘴村')

    expect(reply).toMatch(/^请在要绑定的群里发这条命令。/)
    expect((await t.bot.services.groups.all()).size).toBe(0)
  })

  it('unbinds with 解除', async () => {
    await say(t, 'admin', '绑定群 铁炉嘴村', { chat: 'g' })

    const [reply] = await say(t, 'admin', '绑定群 铁炉嘴村 解除')

    expect(reply).toBe('已解除 铁炉嘴村 的群绑定。')
    expect((await t.bot.services.groups.all()).size).toBe(0)
  })
})
