import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'

// 2026-07-31 10:00 in Shanghai: 帮助's examples are dated as of the clock (yesterday).
const NOW = new Date('2026-07-31T02:00:00Z')

describe('sandbox chat', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when an unregistered user writes, answers once that they are not registered and with their account', async () => {
    const replies = await say(t, 'wangwu', '统计')

    expect(replies).toEqual([
      '您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：sandbox:wangwu',
    ])
  })

  it('when an admin asks 帮助, lists the commands with an example each', async () => {
    const [help] = await say(t, 'admin', '帮助')

    expect(help).toContain('· 设置角色 wecom:lisi 村干部 铁炉嘴村')
    expect(help).toContain('· 走访 张三 7月30日 八一')
    expect(Buffer.byteLength(help!)).toBeLessThanOrEqual(2048)
  })

  it('when asked about one command, explains it with its example', async () => {
    const [help] = await say(t, 'admin', '帮助 走访')

    expect(help).toMatch(/^「走访」登记一次走访慰问.*\n例：走访 张三/)
  })

  it('when the admin gives a user a role, that user is registered', async () => {
    await say(t, 'admin', '添加对象 张三 铁炉嘴村 烈属')
    const [set] = await say(t, 'admin', '設置角色 sandbox:lisi 村幹部 鐵爐嘴村')
    const [help] = await say(t, 'lisi', '幫助')

    expect(set).toBe('已设置 sandbox:lisi 为村干部，负责 铁炉嘴村。')
    expect(help).toContain('双拥助手可用命令')
    expect(help).not.toContain('设置角色')
  })

  it('when a cadre is given a village by its short name, binds the registered village', async () => {
    await say(t, 'admin', '添加对象 张三 铁炉嘴村 烈士遗属')

    const [set] = await say(t, 'admin', '设置角色 sandbox:lisi 村干部 铁炉嘴')
    const [unknown] = await say(t, 'admin', '设置角色 sandbox:zhao 村干部 童家坝')

    expect(set).toBe('已设置 sandbox:lisi 为村干部，负责 铁炉嘴村。')
    expect(unknown).toBe(
      '还没有登记「童家坝」，未设置。已登记的有：铁炉嘴村。新村（社区）请先用「添加对象」登记该村的对象。',
    )
  })

  it('when a cadre tries an admin command, says which role it needs', async () => {
    await say(t, 'admin', '添加对象 张三 铁炉嘴村 烈属')
    await say(t, 'admin', '设置角色 sandbox:lisi 村干部 铁炉嘴村')

    const [reply] = await say(t, 'lisi', '设置角色 sandbox:zhao 领导')

    expect(reply).toMatch(/需要管理员权限/)
  })

  it('when a message is redelivered with the same id, handles it once', async () => {
    const first = await say(t, 'admin', '设置角色 sandbox:lisi 领导', { id: 'm-1' })
    const second = await say(t, 'admin', '设置角色 sandbox:lisi 领导', { id: 'm-1' })

    expect(first).toHaveLength(1)
    expect(second).toEqual([])
  })

  it('when the text is not a command, says how to get help', async () => {
    expect(await say(t, 'admin', '天气不错')).toEqual([
      '没看懂这条消息。回复「帮助」查看可用命令和示例。',
    ])
  })

  it('when the body is not JSON, answers 400', async () => {
    await t.http
      .post('/sandbox/messages')
      .set('content-type', 'application/json')
      .send('{"user":')
      .expect(400)
  })

  it('when the user name is missing, answers 400', async () => {
    await t.http.post('/sandbox/messages').send({ text: '帮助' }).expect(400)
  })

  it('when the body is over 1 MiB, answers 413', async () => {
    const big = JSON.stringify({ user: 'admin', text: 'x'.repeat(1024 * 1024) })

    await t.http
      .post('/sandbox/messages')
      .set('content-type', 'application/json')
      .send(big)
      .expect(413)
  })

  it('serves the chat page and an empty outbox', async () => {
    const page = await t.http.get('/sandbox').expect(200)
    const outbox = await t.http.get('/sandbox/outbox').expect(200)

    expect(page.text).toContain('双拥助手')
    expect(outbox.body).toEqual({ messages: [] })
  })
})

describe('operations endpoints', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot()
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('healthz and readyz answer 200 while Redis answers', async () => {
    await t.http.get('/healthz').expect(200)
    await t.http.get('/readyz').expect(200)
  })

  it('metrics count requests by route and status', async () => {
    await say(t, 'admin', '帮助')

    const res = await t.http.get('/metrics').expect(200)

    expect(res.text).toMatch(
      /bot_http_requests_total\{route="\/sandbox\/messages",status="200"\} 1/,
    )
    expect(res.text).toContain('bot_message_handling_seconds_bucket')
  })

  it('answers 404 for a platform that is not configured', async () => {
    await t.http.post('/webhooks/wecom').send('<xml/>').expect(404)
  })
})

describe('sandbox access (gh-10)', () => {
  let t: TestBot

  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['X-Forwarded-For', '203.0.113.7'],
    ['Forwarded', 'for=203.0.113.7;proto=https'],
    ['X-Real-IP', '203.0.113.7'],
  ])(
    'when SANDBOX=on and a request carries %s, refuses it with 403 and stores nothing',
    async (header, value) => {
      t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' })

      const res = await t.http
        .post('/sandbox/messages')
        .set(header, value)
        .send({ user: 'admin', text: '设置角色 sandbox:lisi 领导', id: 'proxied-1' })
      const after = await say(t, 'admin', '设置角色 sandbox:lisi 领导', { id: 'proxied-1' })

      expect(res.status).toBe(403)
      expect(res.body.error).toContain('代理')
      expect(after).toEqual(['已设置 sandbox:lisi 为领导。'])
    },
  )

  it('when SANDBOX=on and the page is asked for through a proxy, refuses it with 403', async () => {
    t = await createTestBot()

    await t.http.get('/sandbox').set('X-Forwarded-For', '203.0.113.7').expect(403)
    await t.http.get('/sandbox/outbox').set('X-Real-IP', '203.0.113.7').expect(403)
  })

  it('when SANDBOX=public and a request has no token, answers 401 saying how to present one', async () => {
    t = await createTestBot({ SANDBOX: 'public', SANDBOX_TOKEN: 'demo-token-0123456789' })

    const res = await t.http.post('/sandbox/messages').send({ user: 'admin', text: '帮助' })

    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/)
    expect(res.body.error).toContain('Authorization: Bearer')
  })

  it('when SANDBOX=public and the token is wrong, answers 401', async () => {
    t = await createTestBot({ SANDBOX: 'public', SANDBOX_TOKEN: 'demo-token-0123456789' })

    await t.http
      .post('/sandbox/messages')
      .set('Authorization', 'Bearer demo-token-012345678X')
      .send({ user: 'admin', text: '帮助' })
      .expect(401)
    await t.http.get('/sandbox?token=demo-token').expect(401)
  })

  it('when SANDBOX=public and the Bearer token is right, answers through a proxy too', async () => {
    t = await createTestBot({
      SANDBOX: 'public',
      SANDBOX_TOKEN: 'demo-token-0123456789',
      ADMIN_USERS: 'sandbox:admin',
    })

    const res = await t.http
      .post('/sandbox/messages')
      .set('Authorization', 'Bearer demo-token-0123456789')
      .set('X-Forwarded-For', '203.0.113.7')
      .send({ user: 'admin', text: '设置角色 sandbox:lisi 领导' })
      .expect(200)

    expect(res.body.replies).toEqual([{ text: '已设置 sandbox:lisi 为领导。', markdown: false }])
  })

  it('when SANDBOX=public and the page is opened with ?token=, serves the page that sends it on', async () => {
    t = await createTestBot({ SANDBOX: 'public', SANDBOX_TOKEN: 'demo-token-0123456789' })

    const page = await t.http.get('/sandbox?token=demo-token-0123456789').expect(200)
    const outbox = await t.http.get('/sandbox/outbox?token=demo-token-0123456789').expect(200)

    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.text).toContain("authorization: 'Bearer ' + token")
    expect(outbox.body).toEqual({ messages: [] })
  })
})
