import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PlatformApiError } from '../../../src/errors.js'
import { createSilentLogger } from '../../../src/log.js'
import { WecomGroupRobotClient } from '../../../src/platforms/wecom/group-robot.js'
import { startFakeWecom, type FakeWecom } from '../../support/fake-wecom.js'
import { replyOf } from '../../../src/replies/reply-of.js'

let fake: FakeWecom
let robot: WecomGroupRobotClient

beforeEach(async () => {
  fake = await startFakeWecom({ corpId: 'ww0123456789abcdef', secret: 's', agentId: 1 })
  robot = new WecomGroupRobotClient({ apiBase: fake.url, log: createSilentLogger() })
})

afterEach(async () => {
  await fake.close()
})

describe('WecomGroupRobotClient', () => {
  it('when sending text and a reply with rows, delivers text and WeCom markdown (no list, no table)', async () => {
    await robot.send('village-key', { text: '八一走访开始' })
    await robot.send(
      'village-key',
      replyOf('八一走访', [
        { caption: '各村：', rows: [{ name: '铁炉嘴村', cells: ['3/10 户'] }] },
      ]),
    )

    expect(fake.received.robot).toEqual([
      { key: 'village-key', msgtype: 'text', content: '八一走访开始' },
      {
        key: 'village-key',
        msgtype: 'markdown',
        content: '**八一走访**\n\n各村：\n\n> **铁炉嘴村** 3/10 户',
      },
    ])
  })

  it('when text exceeds 2048 bytes, cuts it at a character and ends with …', async () => {
    await robot.send('k', { text: '走'.repeat(1000) })

    const [sent] = fake.received.robot
    expect(Buffer.byteLength(sent?.content ?? '')).toBeLessThanOrEqual(2048)
    expect(sent?.content).toBe(`${'走'.repeat(681)}…`)
  })

  it('when markdown exceeds 4096 bytes, keeps up to 4096 bytes', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ name: `村${i}`, cells: ['1 户'] }))

    await robot.send('k', replyOf('统计', [{ caption: '各村：', rows }]))

    const content = fake.received.robot[0]?.content ?? ''
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096)
    expect(Buffer.byteLength(content)).toBeGreaterThan(4000)
    expect(content).toMatch(/…$/)
  })

  it('when a robot sends a 21st message within a minute, fails transiently with 45009', async () => {
    for (let i = 0; i < 20; i += 1) await robot.send('busy', { text: `第${i + 1}条` })

    const error = await robot.send('busy', { text: '第21条' }).catch((err: unknown) => err)

    expect(error).toBeInstanceOf(PlatformApiError)
    expect(error).toMatchObject({ method: 'webhook/send', code: 45009, permanent: false })
  })
})
