import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../../src/records/audit-log.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'

const NOW = new Date('2026-12-02T02:00:00Z')

describe('role changes are audited like other writes', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await t.bot.services.villages.addVillage('铁炉嘴村', {
      actor: 'sandbox:admin',
      at: NOW,
      idempotencyKey: 'v',
    })
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const roleEntries = async () =>
    (await new AuditLog({ redis: t.redis, keys: t.keys }).latest(10)).filter((e) =>
      e.action.startsWith('role.'),
    )

  it('设置角色 leaves who gave whom which role in the audit log, once per message', async () => {
    await say(t, 'admin', '设置角色 sandbox:lisi 村干部 铁炉嘴村', { id: 'm1' })
    // The platform redelivers the same message: nothing is written twice.
    await say(t, 'admin', '设置角色 sandbox:lisi 村干部 铁炉嘴村', { id: 'm1' })
    await say(t, 'admin', '设置角色 sandbox:lisi 领导', { id: 'm2' })

    const entries = await roleEntries()

    expect(entries.map((e) => [e.action, e.actor, e.record])).toEqual([
      ['role.set', 'sandbox:admin', 'role|sandbox:lisi'],
      ['role.set', 'sandbox:admin', 'role|sandbox:lisi'],
    ])
    expect(JSON.parse(entries[0]!.before!)).toMatchObject({ role: 'cadre', villages: ['铁炉嘴村'] })
    expect(JSON.parse(entries[0]!.after!)).toMatchObject({ role: 'leader', villages: [] })
    expect(entries[1]!.before).toBeUndefined()
  })

  it('removing a role is audited with what it was; removing none writes nothing', async () => {
    await say(t, 'admin', '设置角色 sandbox:lisi 领导')

    const [removed] = await say(t, 'admin', '设置角色 sandbox:lisi 无')
    const [again] = await say(t, 'admin', '设置角色 sandbox:lisi 无')

    expect(removed).toBe('已取消 sandbox:lisi 的角色。')
    expect(again).toBe('sandbox:lisi 本来就没有角色，未作改动。')
    const [latest, ...rest] = await roleEntries()
    expect(latest).toMatchObject({ action: 'role.remove', record: 'role|sandbox:lisi' })
    expect(JSON.parse(latest!.before!)).toMatchObject({ role: 'leader' })
    expect(rest).toHaveLength(1)
    expect(await say(t, 'lisi', '统计')).toEqual([
      '您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：sandbox:lisi',
    ])
  })
})
