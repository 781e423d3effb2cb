import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PlatformApiError } from '../../../src/errors.js'
import { createSilentLogger } from '../../../src/log.js'
import { DingtalkCustomRobotClient } from '../../../src/platforms/dingtalk/custom-robot.js'
import { startFakeDingtalk, type FakeDingtalk } from '../../support/fake-dingtalk.js'
import { replyOf } from '../../../src/replies/reply-of.js'

const APP = {
  appKey: 'dingbotappkey123',
  appSecret: 'test-app-secret-0123456789abcdef',
  robotCode: 'dingbotappkey123',
}
const CUSTOM = { accessToken: 'b7c1e0d2f3a4958672', secret: 'SEC6f1e2d3c4b5a69788796a5b4c3d2e1f0' }
const NOW = 1785294601000

let fake: FakeDingtalk
let fakeNow: number

function robot(overrides: { accessToken?: string; secret?: string; now?: number } = {}) {
  return new DingtalkCustomRobotClient({
    oapiBase: fake.url,
    accessToken: overrides.accessToken ?? CUSTOM.accessToken,
    secret: overrides.secret ?? CUSTOM.secret,
    log: createSilentLogger(),
    now: () => new Date(overrides.now ?? fakeNow),
  })
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

beforeEach(async () => {
  fakeNow = NOW
  fake = await startFakeDingtalk({ ...APP, customRobot: CUSTOM, now: () => fakeNow })
})

afterEach(async () => {
  await fake.close()
})

describe('DingtalkCustomRobotClient', () => {
  it('when signing with the right secret, DingTalk accepts the text message', async () => {
    await robot().send({ text: '八一慰问提醒：还有 3 天' })

    expect(fake.received.at(-1)).toEqual({
      kind: 'customRobot',
      timestamp: String(NOW),
      body: { msgtype: 'text', text: { content: '八一慰问提醒：还有 3 天' } },
    })
  })

  it('when the reply has a layout and mentions, sends the markdown body with at', async () => {
    const reply = replyOf('提醒', [
      { lines: ['请交表'] },
      { caption: '未交：', rows: [{ name: '石门村', cells: ['2 户'] }] },
    ])

    await robot().send(reply, { atUserIds: ['0123456789'] })

    expect(fake.received.at(-1)).toMatchObject({
      body: {
        msgtype: 'markdown',
        markdown: { title: '提醒', text: '**提醒**\n\n请交表\n\n未交：\n\n- **石门村** 2 户' },
        at: { atUserIds: ['0123456789'] },
      },
    })
  })

  it('when the 21st message goes out within a minute, throws a transient PlatformApiError 130101', async () => {
    for (let i = 0; i < 20; i += 1) await robot().send({ text: `第${i + 1}条` })

    const err = await rejectionOf(robot().send({ text: '第21条' }))

    expect(err).toBeInstanceOf(PlatformApiError)
    expect(err).toMatchObject({ code: 130101, permanent: false, method: 'robot/send' })
  })

  it('when the secret is wrong, throws a permanent PlatformApiError 310000', async () => {
    const err = await rejectionOf(robot({ secret: 'SECwrong' }).send({ text: '你好' }))

    expect(err).toMatchObject({ code: 310000, permanent: true })
  })

  it('when our clock is more than an hour off, throws a permanent PlatformApiError 310000', async () => {
    const err = await rejectionOf(robot({ now: NOW - 61 * 60_000 }).send({ text: '你好' }))

    expect(err).toMatchObject({ code: 310000, permanent: true })
  })

  it('when the access token does not exist, throws a permanent PlatformApiError 300001', async () => {
    const err = await rejectionOf(robot({ accessToken: 'nope' }).send({ text: '你好' }))

    expect(err).toMatchObject({ code: 300001, permanent: true })
  })

  it('when given the whole Webhook URL as the token, refuses to start with a hint', () => {
    expect(() =>
      robot({
        accessToken: 'https://oapi.dingtalk.com/robot/send?access_token=b7c1e0d2f3a4958672',
      }),
    ).toThrow(/value after access_token=/)
  })
})
