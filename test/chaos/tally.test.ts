import { describe, expect, it } from 'vitest'
import { tallyDeliveries, tallyMessages } from './tally.js'
import type { SentMessage } from './traffic.js'

const message = (tag: string, tries: number[], platform: SentMessage['platform'] = 'wecom') => ({
  platform,
  messageId: tag,
  tag,
  tries,
  acknowledged: tries.includes(200),
})

describe('chaos tallies', () => {
  it('counts an acknowledged message without a record as lost, and two records as doubled', () => {
    const sent = [
      message('qzb', [200]),
      message('qzc', [503, 200], 'dingtalk'),
      message('qzd', [0, 200], 'sandbox'),
      message('qze', [0, 0, 0]),
      message('qzf', [503, 503, 503]),
    ]
    const stored = new Map([
      ['qzb', 1],
      ['qzc', 2],
      ['qzf', 1],
    ])

    expect(tallyMessages(sent, stored)).toEqual({
      sent: 5,
      acknowledged: 3,
      stored: 3,
      lost: 1,
      lostBy: { wecom: 0, dingtalk: 0, sandbox: 1 },
      doubled: 1,
      unacknowledged: 2,
      unacknowledgedStored: 1,
      resends: 6,
    })
  })

  it('counts deliveries per marker, a longer marker never counting for its prefix', () => {
    const delivered = ['【提醒 #1】核对名单 qzb', '核对名单 qzba', '核对名单 qzba', 'chaos-qzc']

    expect(tallyDeliveries(['qzb', 'qzba', 'qzc', 'qzd'], delivered)).toEqual({
      never: 1,
      once: 2,
      twiceOrMore: 1,
    })
  })
})
