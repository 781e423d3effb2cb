import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CADRE_AND_UP, type Command, type CommandContext } from '../../src/bot/command.js'
import { Dispatcher } from '../../src/bot/dispatch.js'
import { createSilentLogger } from '../../src/log.js'
import type { IncomingMessage } from '../../src/platforms/types.js'
import { RoleStore } from '../../src/records/role-store.js'
import { useTestRedis } from '../support/redis.js'

const NOW = new Date('2027-07-28T02:00:00Z')

let seq = 0
const messageFrom = (userId: string, text: string, messageId = `m-${++seq}`): IncomingMessage => ({
  platform: 'sandbox',
  messageId,
  chat: { platform: 'sandbox', chatId: userId, isGroup: false },
  sender: { userId },
  text,
  receivedAt: NOW,
})

describe('Dispatcher and Command.prefetch', () => {
  let t: Awaited<ReturnType<typeof useTestRedis>>
  let seen: { prefetchedWith?: [string, Date]; ran?: CommandContext }
  let prefetch: (args: string, now: Date) => Promise<unknown>

  const probe: Command = {
    name: '探针',
    audience: CADRE_AND_UP,
    summary: 'test command',
    example: '探针 张三',
    prefetch: (args, now) => {
      seen.prefetchedWith = [args, now]
      return prefetch(args, now)
    },
    async run(ctx) {
      seen.ran = ctx
      return { text: `ran with ${JSON.stringify(ctx.prefetched ?? null)}` }
    },
  }

  const dispatcher = () =>
    new Dispatcher({
      redis: t.redis,
      keys: t.keys,
      roles: new RoleStore(t.redis, t.keys),
      commands: [probe],
      adminUsers: ['sandbox:admin'],
      log: createSilentLogger(),
      now: () => NOW,
    })

  beforeEach(async () => {
    t = await useTestRedis()
    seen = {}
    prefetch = async (args) => ({ read: args })
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('hands run what prefetch read for the same folded args', async () => {
    const replies = await dispatcher().handle(messageFrom('admin', '探針　張三'))

    expect(seen.prefetchedWith).toEqual(['张三', NOW])
    expect(replies).toEqual([{ text: 'ran with {"read":"张三"}' }])
  })

  it('when prefetch fails, still runs the command, which then reads for itself', async () => {
    prefetch = async () => {
      throw new Error('prefetch bug')
    }

    const replies = await dispatcher().handle(messageFrom('admin', '探针 张三'))

    expect(replies).toEqual([{ text: 'ran with null' }])
  })

  it('when the sender has no role, prefetched reads go unused and the command does not run', async () => {
    const [reply] = (await dispatcher().handle(messageFrom('stranger', '探针 张三')))!

    expect(seen.ran).toBeUndefined()
    expect(reply!.text).toMatch(/^您还未登记为本系统用户/)
  })

  it('when the message is a redelivery, does not run the command again', async () => {
    await dispatcher().handle(messageFrom('admin', '探针 张三', 'same-id'))
    seen = {}

    const again = await dispatcher().handle(messageFrom('admin', '探针 张三', 'same-id'))

    expect(again).toBeUndefined()
    expect(seen.ran).toBeUndefined()
  })
})
