import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, type TestBot } from '../support/bot.js'

const TOKEN = 'admin-token-0123456789abcdef'

describe('/admin/queues', () => {
  let t: TestBot
  afterEach(async () => {
    await t.cleanup()
  })

  it('when ADMIN_TOKEN is unset, is not there', async () => {
    t = await createTestBot()

    await t.http.get('/admin/queues').expect(404)
  })

  it('without the token, or with a wrong one, answers 401 with a Basic challenge', async () => {
    t = await createTestBot({ ADMIN_TOKEN: TOKEN })

    const none = await t.http.get('/admin/queues')
    const wrong = await t.http.get('/admin/queues/api/queues').set('authorization', 'Bearer nope')

    expect(none.status).toBe(401)
    expect(none.headers['www-authenticate']).toMatch(/^Basic realm=/)
    expect(wrong.status).toBe(401)
  })

  it('with the token as Bearer, serves the dashboard and lists the reminders queue', async () => {
    t = await createTestBot({ ADMIN_TOKEN: TOKEN })

    const page = await t.http.get('/admin/queues').set('authorization', `Bearer ${TOKEN}`)
    const api = await t.http.get('/admin/queues/api/queues').set('authorization', `Bearer ${TOKEN}`)

    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/html/)
    expect(api.status).toBe(200)
    expect((api.body as { queues: { name: string }[] }).queues.map((q) => q.name)).toEqual([
      'reminders',
    ])
  })

  it('with the token as the Basic password, lets a browser in', async () => {
    t = await createTestBot({ ADMIN_TOKEN: TOKEN })

    const res = await t.http.get('/admin/queues').auth('admin', TOKEN)

    expect(res.status).toBe(200)
  })
})
