import type { Clock } from '../../src/time/clock.js'
import { createTestBot, type TestBot } from './bot.js'
import {
  DINGTALK_TEST_APP,
  WECOM_TEST_ENV,
  dingtalkDriver,
  dingtalkStreamDriver,
  sandboxDriver,
  wecomDriver,
  type ChatDriver,
} from './drivers.js'
import { startFakeDingtalk, type FakeDingtalk } from './fake-dingtalk.js'
import { widthProblems } from './reply-width.js'

/**
 * `driver`, failing any message whose replies break the phone-width rule (docs/replies.md):
 * a table, or an aligned row wider than 20 Chinese characters, as the platform received it.
 */
function checkingWidth(driver: ChatDriver): ChatDriver {
  const checked = (text: string, replies: string[]) => {
    const problems = replies.flatMap((reply) => widthProblems({ text: reply }))
    if (problems.length > 0) {
      throw new Error(`「${text}」 over ${driver.platform}: ${problems.join('; ')}`)
    }
    return replies
  }
  const inGroup = driver.sayInGroup?.bind(driver)
  return {
    platform: driver.platform,
    say: async (user, text, id) => checked(text, await driver.say(user, text, id)),
    ...(inGroup && {
      sayInGroup: async (user: string, text: string, group: string) =>
        checked(text, await inGroup(user, text, group)),
    }),
  }
}

/** The ways a message reaches the bot, each tested end to end by the conversation tests. */
export const CHANNELS = ['sandbox', 'wecom', 'dingtalk', 'dingtalk-stream'] as const
export type Channel = (typeof CHANNELS)[number]

export interface ChannelBot {
  t: TestBot
  /** Speaks to the bot over the channel, as its platform would deliver the message. */
  chat: ChatDriver
  /** The account prefix users of this channel have (`wecom:li`). */
  platform: 'sandbox' | 'wecom' | 'dingtalk'
  fake: FakeDingtalk
  cleanup(): Promise<void>
}

/**
 * A test bot with WeCom, DingTalk (HTTP or Stream) and the sandbox all configured against the
 * local fakes, `sandbox:admin` as the bootstrap admin, and a driver for `channel`.
 */
export async function botOnChannel(channel: Channel, now: Clock): Promise<ChannelBot> {
  const fake = await startFakeDingtalk({
    ...DINGTALK_TEST_APP,
    robotCode: DINGTALK_TEST_APP.appKey,
  })
  const t = await createTestBot(
    {
      ...WECOM_TEST_ENV,
      DINGTALK_APP_KEY: DINGTALK_TEST_APP.appKey,
      DINGTALK_APP_SECRET: DINGTALK_TEST_APP.appSecret,
      DINGTALK_API_BASE: fake.url,
      DINGTALK_OAPI_BASE: fake.url,
      DINGTALK_MODE: channel === 'dingtalk-stream' ? 'stream' : 'http',
      SANDBOX: 'on',
      ADMIN_USERS: 'sandbox:admin',
    },
    { now },
  )
  const driver =
    channel === 'sandbox'
      ? sandboxDriver(t)
      : channel === 'wecom'
        ? wecomDriver(t, now)
        : channel === 'dingtalk'
          ? dingtalkDriver(t, fake, now)
          : dingtalkStreamDriver(t, fake, now)
  const chat = checkingWidth(driver)
  if (channel === 'dingtalk-stream') {
    t.bot.dingtalkStream!.start()
    await fake.stream.waitForOpened(1)
  }
  return {
    t,
    chat,
    platform: channel === 'dingtalk-stream' ? 'dingtalk' : channel,
    fake,
    cleanup: async () => {
      await t.cleanup()
      await fake.close()
    },
  }
}
