import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'

describe('绑定群', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
    await say(t, 'admin', '添加对象 张三 铁炉嘴村 烈士遗属')
    await say(t, 'admin', '添加对象 李四 童家坝村 烈士遗属')
    await say(t, 'admin', '确认')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when sent in a group, binds the villages to that group', async () => {
    const [reply] = await say(t, 'admin', '绑定群 铁炉嘴村 童家坝', { chat: 'village-group' })

    const bindings = await t.bot.services.groups.all()
    expect(reply).toBe('已绑定：铁炉嘴村、童家坝村 的八一、春节、元旦、优待金提醒将推送到本群。')
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

    const { groups } = t.bot.services
    const bindings = await groups.all()
    const wecom = bindings.get('铁炉嘴村')?.target
    const dingtalk = bindings.get('童家坝村')?.target
    expect(wecom).toMatchObject({ kind: 'robot', robot: { platform: 'wecom' } })
    expect(dingtalk).toMatchObject({ kind: 'robot', robot: { platform: 'dingtalk' } })
    expect(wecom?.kind === 'robot' && groups.open(wecom.robot)).toEqual({
      platform: 'wecom',
      webhookKey: '693a91f6-7abc-4bc4-97a0-0ec2bcfa5aaa',
    })
    expect(dingtalk?.kind === 'robot' && groups.open(dingtalk.robot)).toEqual({
      platform: 'dingtalk',
      accessToken: 'abc123',
      secret: 'SEC0123abcd',
    })
  })

  it('keeps robot credentials sealed in Redis and in what it hands out for job data', async () => {
    await say(
      t,
      'admin',
      '绑定群 童家坝村 https://oapi.dingtalk.com/robot/send?access_token=abc123 SEC0123abcd',
    )

    const stored = JSON.stringify(await t.redis.hgetall(t.keys.groupBindings()))
    const handedOut = JSON.stringify([...(await t.bot.services.groups.all())])

    for (const text of [stored, handedOut]) {
      expect(text).not.toContain('abc123')
      expect(text).not.toContain('SEC0123abcd')
    }
  })

  it('when a binding was stored in the clear by an earlier version, hands it out sealed', async () => {
    const legacy = {
      target: { kind: 'robot', robot: { platform: 'wecom', webhookKey: 'legacy-key-1' } },
      boundBy: 'sandbox:admin',
      boundAt: '2026-07-01T00:00:00.000Z',
    }
    await t.redis.hset(t.keys.groupBindings(), '铁炉嘴村', JSON.stringify(legacy))

    const { groups } = t.bot.services
    const target = (await groups.all()).get('铁炉嘴村')?.target

    expect(JSON.stringify(target)).not.toContain('legacy-key-1')
    expect(target?.kind === 'robot' && groups.open(target.robot)).toEqual({
      platform: 'wecom',
      webhookKey: 'legacy-key-1',
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
