import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { DiscardedConversation, InterruptedConversation } from '../../src/bot/dispatch.js'
import { FormEngine, type FormContext, type FormSpec } from '../../src/bot/forms.js'
import { UserFacingError } from '../../src/errors.js'
import { createSilentLogger } from '../../src/log.js'
import type { Reply } from '../../src/platforms/types.js'
import { useTestRedis } from '../support/redis.js'

// A two-question form standing in for a record kind: a name, then a whole number.
const completed: { values: Record<string, unknown>; idempotencyKey: string }[] = []
const countDraft = z
  .object({ name: z.string().optional(), count: z.number().int().optional() })
  .strict()
const countForm: FormSpec<z.infer<typeof countDraft>> = {
  kind: 'count',
  draft: countDraft,
  version: 1,
  nextQuestion: (values) =>
    values.name === undefined
      ? { field: 'name', prompt: '叫什么？' }
      : values.count === undefined
        ? { field: 'count', prompt: '多少人？如「40」。' }
        : undefined,
  async accept(field, answer, values) {
    if (field === 'count' && !/^\d+$/.test(answer))
      throw new UserFacingError(`「${answer}」不是人数，请回复数字，如「40」。`)
    // The draft whole, as the engine replaces the saved values with it.
    return {
      values: Object.assign({}, values, { [field]: field === 'count' ? Number(answer) : answer }),
    }
  },
  async complete(values, idempotencyKey) {
    completed.push({ values, idempotencyKey })
    return { text: `已登记 ${String(values.name)} ${String(values.count)} 人` }
  },
}

/** The reply texts of an answered turn; a pass-on (undefined, or a discarded draft) as is. */
function texts(result: Reply[] | DiscardedConversation | InterruptedConversation | undefined) {
  return Array.isArray(result) ? result.map((r) => r.text) : result
}

describe('FormEngine', () => {
  let env: Awaited<ReturnType<typeof useTestRedis>>
  const engine = () => new FormEngine({ redis: env.redis, keys: env.keys }, [countForm])
  const ctx = (text: string): FormContext & { parse: (t: string) => string | undefined } => ({
    message: {
      platform: 'sandbox',
      messageId: text,
      chat: { platform: 'sandbox', chatId: 'lisi', isGroup: false },
      sender: { userId: 'lisi' },
      text,
      receivedAt: new Date(),
    },
    actor: { key: 'sandbox:lisi', role: 'cadre', villages: ['铁炉嘴村'] },
    now: new Date(),
    log: createSilentLogger(),
    parse: (t) => (t.startsWith('帮助') ? '帮助' : t.startsWith('取消') ? '取消' : undefined),
  })

  beforeEach(async () => {
    env = await useTestRedis()
    completed.length = 0
  })
  afterEach(async () => {
    await env.cleanup()
  })

  it('when fields are missing, asks one at a time and re-asks with an example on a bad answer', async () => {
    const first = await engine().start('count', {}, ctx('座谈会'))
    const second = await engine().handle(ctx('座谈会'))
    const bad = await engine().handle(ctx('很多'))
    const done = await engine().handle(ctx('40'))

    expect(first.map((r) => r.text)).toEqual(['叫什么？'])
    expect(texts(second)).toEqual(['多少人？如「40」。'])
    expect(texts(bad)).toEqual(['「很多」不是人数，请回复数字，如「40」。\n回复「取消」退出。'])
    expect(texts(done)).toEqual(['已登记 座谈会 40 人'])
    expect(completed).toHaveLength(1)
    expect(completed[0]!.idempotencyKey).toBe('sandbox:40')
  })

  it('when everything is given at start, completes at once and keeps no state', async () => {
    const replies = await engine().start('count', { name: '晚会', count: 5 }, ctx('晚会'))

    expect(replies.map((r) => r.text)).toEqual(['已登记 晚会 5 人'])
    expect(await engine().handle(ctx('5'))).toBeUndefined()
  })

  it('when the user says 取消, stops and stores nothing', async () => {
    await engine().start('count', {}, ctx('x'))

    const replies = await engine().handle(ctx('取消'))

    expect(texts(replies)).toEqual(['已取消，未登记任何内容。'])
    expect(completed).toHaveLength(0)
    expect(await engine().handle(ctx('40'))).toBeUndefined()
  })

  it('when a command arrives mid-form, lets it run and then says what the form still needs', async () => {
    await engine().start('count', {}, ctx('x'))

    const interrupted = await engine().handle(ctx('帮助'))
    const settled = await (interrupted as InterruptedConversation).settle([{ text: '（帮助）' }])
    const answered = await engine().handle(ctx('座谈会'))

    expect(texts(settled)).toEqual([
      '（帮助）',
      '您的登记还在进行，直接回复上面的问题继续，回复「取消」放弃。',
    ])
    expect(texts(answered)).toEqual(['多少人？如「40」。'])
  })

  it('when a command replaces the form with a new one, says the old one was set aside before the new question', async () => {
    await engine().start('count', {}, ctx('x'))

    const interrupted = await engine().handle(ctx('帮助'))
    const restarted = await engine().start('count', {}, ctx('again'))
    const settled = await (interrupted as InterruptedConversation).settle(restarted)

    expect(texts(settled)).toEqual(['之前未完成的登记已放下。\n叫什么？'])
  })

  it('when the cancel command comes with words after it, stops the form', async () => {
    await engine().start('count', {}, ctx('x'))

    const replies = await engine().handle(ctx('取消 这条'))

    expect(texts(replies)).toEqual(['已取消，未登记任何内容。'])
    expect(await engine().handle(ctx('座谈会'))).toBeUndefined()
  })
})
