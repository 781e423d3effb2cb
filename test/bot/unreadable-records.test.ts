import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { APOLOGY } from '../../src/bot/dispatch.js'
import { DRAFT_DISCARDED } from '../../src/bot/forms.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'

/** A logger keeping warn-and-above lines, parsed, so a test can read what was reported. */
function captureLog() {
  const lines: Record<string, unknown>[] = []
  const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) })
  return { log, lines }
}

const NOT_REGISTERED = (user: string) =>
  `您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：${user}`

describe('stored values that no longer read (issue 10)', () => {
  let t: TestBot

  afterEach(async () => {
    await t.cleanup()
  })

  describe('a role binding', () => {
    it('when it is not JSON, treats the user as unregistered and warns once naming the key, not the content', async () => {
      const { log, lines } = captureLog()
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { log })
      await t.redis.hset(t.keys.roles(), 'sandbox:lisi', '{"role":"cadre","villages":["铁炉嘴村"')

      const replies = await say(t, 'lisi', '帮助')

      expect(replies).toEqual([NOT_REGISTERED('sandbox:lisi')])
      const warned = lines.filter((l) => l.msg === 'role binding unreadable; treated as none')
      expect(warned).toHaveLength(1)
      expect(warned[0]).toMatchObject({ userKey: 'sandbox:lisi', key: t.keys.roles() })
      expect(JSON.stringify(lines)).not.toContain('铁炉嘴村')
    })

    it('when it fails its schema, treats the user as unregistered', async () => {
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
      await t.redis.hset(
        t.keys.roles(),
        'sandbox:lisi',
        JSON.stringify({ role: 'superuser', villages: '铁炉嘴村' }),
      )

      const replies = await say(t, 'lisi', '统计')

      expect(replies).toEqual([NOT_REGISTERED('sandbox:lisi')])
    })

    it('when the user is a bootstrap admin, ADMIN_USERS still makes them admin', async () => {
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
      await t.redis.hset(t.keys.roles(), 'sandbox:admin', 'not json at all')

      const [reply] = await say(t, 'admin', '设置角色 sandbox:lisi 领导')

      expect(reply).toBe('已设置 sandbox:lisi 为领导。')
    })

    it('when one binding is unreadable, role listings leave it out and keep the rest', async () => {
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
      await say(t, 'admin', '设置角色 sandbox:wang 领导')
      await t.redis.hset(t.keys.roles(), 'sandbox:lisi', '[]')

      const all = await t.bot.services.roles.all()

      expect([...all.keys()]).toEqual(['sandbox:wang'])
    })
  })

  describe('a saved form', () => {
    it('when it is not JSON and the user says 取消, says the entry was discarded, then answers 取消 as with no form', async () => {
      const { log, lines } = captureLog()
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { log })
      await t.redis.set(
        formKey(t, 'admin'),
        '{"kind":"visit","values":{"person":"张三"',
        'EX',
        1800,
      )

      const replies = await say(t, 'admin', '取消')
      const withoutForm = await say(t, 'admin', '取消')

      expect(replies).toEqual([DRAFT_DISCARDED, ...withoutForm])
      expect(await t.redis.exists(formKey(t, 'admin'))).toBe(0)
      const warned = lines.filter((l) => l.msg === 'saved form unreadable; discarded')
      expect(warned).toHaveLength(1)
      expect(warned[0]).toMatchObject({ userKey: 'sandbox:admin', key: formKey(t, 'admin') })
      expect(JSON.stringify(lines)).not.toContain('张三')
    })

    it('when it fails its schema, discards it and runs the command just sent', async () => {
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
      await t.redis.set(
        formKey(t, 'admin'),
        JSON.stringify({ kind: 'visit', values: ['张三'], field: 7 }),
        'EX',
        1800,
      )

      const [notice, help] = await say(t, 'admin', '帮助')

      expect(notice).toBe(DRAFT_DISCARDED)
      expect(help).toContain('双拥助手可用命令')
    })

    it.each([
      ['a value of the wrong type', { version: 1, values: { personId: 1, cashFen: '五百' } }],
      ['a field the kind does not have', { version: 1, values: { personId: 1, cash: 500 } }],
      ['another version of the draft', { version: 0, values: { personId: 1 } }],
      ['no version, as saved before drafts were typed', { values: { personId: 1 } }],
    ])(
      'when a visit draft holds %s, discards it with the notice instead of misreading it',
      async (_, draft) => {
        t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
        await t.redis.set(
          formKey(t, 'admin'),
          JSON.stringify({ kind: 'visit', field: 'date', ...draft }),
          'EX',
          1800,
        )

        const replies = await say(t, 'admin', '今天')

        expect(replies[0]).toBe(DRAFT_DISCARDED)
        expect(replies).not.toContain(APOLOGY)
        expect(await t.redis.get(formKey(t, 'admin'))).toBeNull()
      },
    )

    it('when its kind is no longer known, discards it and reads the message as a fresh one', async () => {
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
      await t.redis.set(
        formKey(t, 'admin'),
        JSON.stringify({ kind: 'retired-kind', values: {}, field: 'name' }),
        'EX',
        1800,
      )

      const replies = await say(t, 'admin', '40')
      const next = await say(t, 'admin', '40')

      expect(replies).toEqual([DRAFT_DISCARDED, ...next])
      expect(next).not.toContain(APOLOGY)
    })
  })

  describe('the first round trip', () => {
    it('when the roles key holds the wrong type, answers the apology, not a 500', async () => {
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
      await t.redis.set(t.keys.roles(), 'a string where a hash belongs')

      const replies = await say(t, 'lisi', '帮助')

      expect(replies).toEqual([APOLOGY])
    })

    it('when the form key holds the wrong type, answers the apology and the redelivery is not apologised for twice', async () => {
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })
      await t.redis.hset(formKey(t, 'admin'), 'field', 'x')

      const first = await say(t, 'admin', '帮助', { id: 'wrongtype-1' })
      const again = await say(t, 'admin', '帮助', { id: 'wrongtype-1' })

      expect(first).toEqual([APOLOGY])
      expect(again).toEqual([])
    })
  })

  function formKey(t: TestBot, user: string) {
    return t.keys.form('sandbox', user, user)
  }
})
