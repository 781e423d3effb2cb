import { describe, expect, it } from 'vitest'
import {
  cleanDingtalkText,
  dingtalkRobotMessageSchema,
  toIncomingMessage,
} from '../../../src/platforms/dingtalk/payload.js'
import { robotCallback } from '../../support/fake-dingtalk.js'

const NOW = new Date(1785294601000)

function translate(body: Record<string, unknown>) {
  return toIncomingMessage(dingtalkRobotMessageSchema.parse(body), NOW)
}

describe('toIncomingMessage', () => {
  it('when a group message @-mentions the bot, the chat is the conversation and the mention is gone', () => {
    const msg = translate(robotCallback('text-group', { text: { content: '@双拥助手 统计' } }))

    expect(msg).toEqual({
      platform: 'dingtalk',
      messageId: 'msgNn7Y0uE0H+3w9ZbQm2CkVrA==',
      chat: { platform: 'dingtalk', chatId: 'cidZ3pZ5nBvYWVX8q0Qx8m6Jw==', isGroup: true },
      sender: { userId: '0123456789', name: '王建国' },
      text: '统计',
      receivedAt: new Date(1785294600000),
      replyContext: {
        sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=c2b9a0e1f3d4a5b6',
        sessionWebhookExpiredTime: 1785300000000,
        senderStaffId: '0123456789',
        conversationId: 'cidZ3pZ5nBvYWVX8q0Qx8m6Jw==',
        isGroup: true,
      },
    })
  })

  it('when the mention left only a leading space, the text is trimmed', () => {
    const msg = translate(robotCallback('text-group'))

    expect(msg?.text).toBe('统计')
  })

  it('when the message is a single chat, the chat is the sender', () => {
    const msg = translate(robotCallback('text-single'))

    expect(msg?.chat).toEqual({ platform: 'dingtalk', chatId: '0987654321', isGroup: false })
    expect(msg?.text).toBe('帮助')
  })

  it('when the sender is outside the org (no senderStaffId), ignores the message', () => {
    const body = robotCallback('text-group')
    delete body.senderStaffId

    expect(translate(body)).toBeUndefined()
  })

  it('when the msgtype is picture, ignores the message', () => {
    expect(translate(robotCallback('picture'))).toBeUndefined()
  })

  it('when createAt is a digit string, still reads it as ms', () => {
    const msg = translate(robotCallback('text-single', { createAt: '1785294600000' }))

    expect(msg?.receivedAt).toEqual(new Date(1785294600000))
  })

  it('when unknown fields are present, keeps them in the parsed body', () => {
    const parsed = dingtalkRobotMessageSchema.parse(robotCallback('text-group'))

    expect(parsed.senderPlatform).toBe('Android')
  })
})

describe('cleanDingtalkText', () => {
  it("when several mentions lead, with DingTalk's U+2005 or full-width spaces, removes them all", () => {
    expect(cleanDingtalkText('@双拥助手\u2005@张三\u3000走访 张三 八一 ')).toBe('走访 张三 八一')
  })

  it('when a mention is not at the start, keeps it', () => {
    expect(cleanDingtalkText('提醒 @李四 交表')).toBe('提醒 @李四 交表')
  })

  it('when the message is only a mention, the text is empty', () => {
    expect(cleanDingtalkText(' @双拥助手 ')).toBe('')
  })
})
