import { afterEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../../src/records/audit-log.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { WECOM_TEST_ENV } from '../support/drivers.js'

const NOW = new Date('2026-12-02T02:00:00Z')
const now = () => NOW
const WELCOME =
  /^您是第一位用户，已设为管理员（sandbox:admin）。\n想先看看效果：回复「载入示范数据」/

describe('the first sandbox user (issue 12, part 7)', () => {
  let t: TestBot

  afterEach(async () => {
    await t.cleanup()
  })

  const roleEntries = async () =>
    (await new AuditLog({ redis: t.redis, keys: t.keys }).latest(20)).filter((e) =>
      e.action.startsWith('role.'),
    )

  it('when nothing is configured, becomes administrator, is told so, and 帮助 answers as one', async () => {
    t = await createTestBot({}, { now })

    const [welcome, help, ...rest] = await say(t, 'admin', '帮助')

    expect(welcome).toMatch(WELCOME)
    expect(help).toContain('· 设置角色 wecom:lisi 村干部 铁炉嘴村')
    expect(rest).toEqual([])
    expect(await t.bot.services.roles.get('sandbox:admin')).toMatchObject({
      role: 'admin',
      villages: [],
    })
  })

  it('when the first user writes again, the welcome is not repeated', async () => {
    t = await createTestBot({}, { now })
    await say(t, 'admin', '帮助')

    const replies = await say(t, 'admin', '帮助')

    expect(replies).toHaveLength(1)
    expect(replies[0]).not.toMatch(/第一位用户/)
  })

  it('when a second user writes, they are not registered', async () => {
    t = await createTestBot({}, { now })
    await say(t, 'admin', '帮助')

    const replies = await say(t, 'wangwu', '帮助')

    expect(replies).toEqual([
      '您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：sandbox:wangwu',
    ])
  })

  it('when two first users write at once, exactly one becomes administrator, audited once', async () => {
    t = await createTestBot({}, { now })
    const users = Array.from({ length: 8 }, (_, i) => `u${i}`)

    const answers = await Promise.all(users.map((u) => say(t, u, '帮助')))

    const welcomed = answers.filter((replies) => /第一位用户/.test(replies[0]!))
    expect(welcomed).toHaveLength(1)
    const bindings = await t.bot.services.roles.all()
    expect([...bindings.values()].filter((b) => b.role === 'admin')).toHaveLength(1)
    expect(bindings.size).toBe(1)
    const entries = await roleEntries()
    expect(entries.map((e) => [e.action, e.actor])).toEqual([['role.set', 'system:first-user']])
  })

  it('when ADMIN_USERS is set, nobody is made administrator by writing first', async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:boss' }, { now })

    const replies = await say(t, 'admin', '帮助')

    expect(replies).toEqual([
      '您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：sandbox:admin',
    ])
    expect(await t.bot.services.roles.all()).toEqual(new Map())
  })

  it('when a platform is configured beside SANDBOX=on, nobody is made administrator', async () => {
    t = await createTestBot({ ...WECOM_TEST_ENV, SANDBOX: 'on' }, { now })

    const replies = await say(t, 'admin', '帮助')

    expect(replies[0]).toMatch(/^您还未登记为本系统用户/)
    expect(await t.bot.services.roles.all()).toEqual(new Map())
  })

  it('when SANDBOX=public, writing first makes nobody administrator (the token holder may not be the owner)', async () => {
    t = await createTestBot({ SANDBOX: 'public', SANDBOX_TOKEN: 'demo-token-0123456789' }, { now })

    const res = await t.http
      .post('/sandbox/messages')
      .set('Authorization', 'Bearer demo-token-0123456789')
      .send({ user: 'admin', text: '帮助' })
      .expect(200)

    expect(res.body.replies[0].text).toMatch(/^您还未登记为本系统用户/)
  })

  it('when the first writer already has a role (a demo cadre), they keep it and the next one becomes administrator', async () => {
    t = await createTestBot({}, { now })
    await t.bot.services.roles.set(
      'sandbox:li',
      { role: 'leader', villages: [], setBy: 'test', setAt: '' },
      { actor: 'cli:test', at: NOW, idempotencyKey: 'seed-li' },
    )

    const [asLeader] = await say(t, 'li', '帮助')
    const [welcome] = await say(t, 'admin', '帮助')

    expect(asLeader).not.toMatch(/第一位用户/)
    expect((await t.bot.services.roles.get('sandbox:li'))?.role).toBe('leader')
    expect(welcome).toMatch(WELCOME)
  })

  it('when an administrator exists already, writing first makes nobody else one', async () => {
    t = await createTestBot({}, { now })
    await t.bot.services.roles.set(
      'sandbox:boss',
      { role: 'admin', villages: [], setBy: 'test', setAt: '' },
      { actor: 'cli:test', at: NOW, idempotencyKey: 'seed-boss' },
    )

    const replies = await say(t, 'admin', '帮助')

    expect(replies[0]).toMatch(/^您还未登记为本系统用户/)
  })
})
