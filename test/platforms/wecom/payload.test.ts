import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WebhookPayloadError } from '../../../src/errors.js'
import {
  parseWecomInner,
  splitUtf8Lines,
  toIncomingMessage,
  truncateUtf8,
  wecomCiphertext,
} from '../../../src/platforms/wecom/payload.js'
import { V4 } from '../../fixtures/wecom/vectors.js'

const NOW = new Date('2027-07-28T01:00:00Z')

describe('parseWecomInner', () => {
  it('when MsgId exceeds 2^53, keeps every digit', () => {
    expect(parseWecomInner(V4.plaintext).MsgId).toBe('4561255354251345929')
  })

  it('when a text message has no MsgId, throws WebhookPayloadError', () => {
    const xml =
      '<xml><ToUserName>ww1</ToUserName><FromUserName>u</FromUserName>' +
      '<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content></xml>'

    expect(() => parseWecomInner(xml)).toThrow(WebhookPayloadError)
  })

  it('when the content holds markup-like text in CDATA, returns it verbatim', () => {
    const xml =
      '<xml><ToUserName>ww1</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime>' +
      '<MsgType>text</MsgType><Content><![CDATA[ 走访 <张三> &amp; 李四 ]]></Content><MsgId>7</MsgId></xml>'

    expect(parseWecomInner(xml).Content).toBe(' 走访 <张三> &amp; 李四 ')
  })
})

describe('wecomCiphertext', () => {
  it('when the signed text is base64, returns it unchanged', () => {
    expect(wecomCiphertext(V4.encrypted)).toBe(V4.encrypted)
  })

  it.each([
    ['a character reference', 'QUFB&#61;'],
    ['an entity', '&lol;'],
    ['whitespace', 'QUFB QkJC'],
    ['nothing', ''],
  ])('when the signed text holds %s, throws WebhookPayloadError', (_, text) => {
    expect(() => wecomCiphertext(text)).toThrow(/must be base64/)
  })

  it('accepts exactly what the base64 pattern A–Z a–z 0–9 + / then up to two = accepts', () => {
    const pattern = /^[A-Za-z0-9+/]+={0,2}$/
    const accepted = (text: string) => {
      try {
        wecomCiphertext(text)
        return true
      } catch {
        return false
      }
    }
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.base64String(), fc.stringMatching(/^[A-Za-z0-9+/=]{0,8}$/)),
        (text) => accepted(text) === pattern.test(text),
      ),
      { numRuns: 20_000 },
    )
  })
})

describe('toIncomingMessage', () => {
  it('when CreateTime is absent from an event, falls back to now', () => {
    const inner = parseWecomInner(
      '<xml><ToUserName>ww1</ToUserName><FromUserName>u</FromUserName>' +
        '<MsgType>event</MsgType><Event>enter_agent</Event></xml>',
    )

    const message = toIncomingMessage(inner, NOW)

    expect(message?.receivedAt).toEqual(NOW)
    expect(message?.messageId).toBe(`event-u-${NOW.getTime() / 1000}`)
  })
})

describe('splitUtf8Lines', () => {
  it('when lines fit, every chunk fits and joining the chunks restores the text', () => {
    const line = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 })
    fc.assert(
      fc.property(fc.array(line.filter((l) => !l.includes('\n') && l.trim() !== '')), (lines) => {
        const text = lines.join('\n')

        const chunks = splitUtf8Lines(text, 200)

        expect(chunks.every((c) => Buffer.byteLength(c) <= 200)).toBe(true)
        expect(chunks.join('\n')).toBe(text)
      }),
    )
  })

  it('when one line is longer than a chunk, cuts it at code points', () => {
    const chunks = splitUtf8Lines('走'.repeat(10), 7)

    expect(chunks).toEqual(['走走', '走走', '走走', '走走', '走走'])
  })

  it('when the text is blank, yields no chunk', () => {
    expect(splitUtf8Lines('\n \n', 2048)).toEqual([])
  })
})

describe('truncateUtf8', () => {
  it('when text fits, returns it unchanged', () => {
    expect(truncateUtf8('走访', 6)).toBe('走访')
  })

  it('when an emoji straddles the limit, drops it whole', () => {
    expect(truncateUtf8('ab😀cd', 7)).toBe('ab…')
  })
})
