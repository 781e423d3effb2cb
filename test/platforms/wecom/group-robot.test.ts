import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PlatformApiError } from '../../../src/errors.js'
import { createSilentLogger } from '../../../src/log.js'
import { WecomGroupRobotClient } from '../../../src/platforms/wecom/group-robot.js'
import { startFakeWecom, type FakeWecom } from '../../support/fake-wecom.js'

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
  it('when sending text and markdown, delivers both to the robot key', async () => {
    await robot.send('village-key', { text: '八一走访开始' })
    await robot.send('village-key', { text: '**铁炉嘴村** 已走访 3/10', markdown: true })

    expect(fake.received.robot).toEqual([
      { key: 'village-key', msgtype: 'text', content: '八一走访开始' },
      { key: 'village-key', msgtype: 'markdown', content: '**铁炉嘴村** 已走访 3/10' },
    ])
  })

  it('when text exceeds 2048 bytes, cuts it at a character and ends with …', async () => {
    await robot.send('k', { text: '走'.repeat(1000) })

    const [sent] = fake.received.robot
    expect(Buffer.byteLength(sent?.content ?? '')).toBeLessThanOrEqual(2048)
    expect(sent?.content).toBe(`${'走'.repeat(681)}…`)
  })

  it('when markdown exceeds 4096 bytes, keeps up to 4096 bytes', async () => {
    await robot.send('k', { text: 'a'.repeat(5000), markdown: true })

    expect(fake.received.robot[0]?.content).toBe(`${'a'.repeat(4093)}…`)
  })

  it('when a robot sends a 21st message within a minute, fails transiently with 45009', async () => {
    for (let i = 0; i < 20; i += 1) await robot.send('busy', { text: `第${i + 1}条` })

    const error = await robot.send('busy', { text: '第21条' }).catch((err: unknown) => err)

    expect(error).toBeInstanceOf(PlatformApiError)
    expect(error).toMatchObject({ method: 'webhook/send', code: 45009, permanent: false })
  })
})
