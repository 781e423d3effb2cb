import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { replyOf } from '../../../src/replies/reply-of.js'
import { createTestBot, type TestBot } from '../../support/bot.js'
import { seedTown } from '../../support/town.js'

const NOW = new Date('2026-07-31T02:00:00Z')

describe('the sandbox gets a reply’s layout beside its plain text (docs/replies.md)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('answers a leader’s 统计 with the plain text and the layout with a row per village', async () => {
    const res = await t.http.post('/sandbox/messages').send({ user: 'boss', text: '统计' })

    const [reply] = res.body.replies
    expect(reply.markdown).toBe(false)
    expect(reply.text).toContain('\n铁炉嘴村　0/4 户 0% 0 元\n')
    expect(reply.layout.title).toBe('2026 八一走访（截至 07-31，距八一 1 天）')
    const rows = reply.layout.blocks.find((b: { rows?: unknown }) => b.rows).rows
    expect(rows.map((r: { name: string }) => r.name)).toEqual(['铁炉嘴村', '童家坝村', '新街社区'])
    expect(rows[0].cells).toEqual(['0/4 户', '0%', '0 元'])
  })

  it('answers a plain reply with text only, as the contract shows', async () => {
    const res = await t.http.post('/sandbox/messages').send({ user: 'li', text: '统计 八一' })

    expect(Object.keys(res.body.replies[0]).sort()).toEqual(['markdown', 'text'])
  })

  it('keeps a pushed layout in the outbox, so the page can draw it', async () => {
    const reply = replyOf('【八一走访提醒】距八一还有 1 天', [
      { caption: '各村（已访/应访）：', rows: [{ name: '石门村', cells: ['7/8 户'] }] },
    ])

    await t.bot.adapters
      .get('sandbox')!
      .send({ platform: 'sandbox', chatId: 'boss', isGroup: false }, reply)
    const outbox = await t.http.get('/sandbox/outbox').expect(200)

    expect(outbox.body.messages).toEqual([
      {
        chatId: 'boss',
        isGroup: false,
        text: '【八一走访提醒】距八一还有 1 天\n\n各村（已访/应访）：\n石门村　7/8 户',
        markdown: false,
        layout: reply.layout,
        at: NOW.toISOString(),
      },
    ])
  })
})
