import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UserFacingError } from '../../src/errors.js'
import {
  Pii,
  maskIdNumber,
  maskPhone,
  normalizeIdNumber,
  normalizePhone,
  redactForLog,
} from '../../src/records/pii.js'

const SECRET = 'test-secret-key-0123456789abcdef'

describe('maskPhone', () => {
  it('when given a mobile number keeps the first 3 and last 4 digits', () => {
    expect(maskPhone('13800001111')).toBe('138****1111')
  })

  it('when given a short number shows only the last 2 digits', () => {
    expect(maskPhone('1234567')).toBe('*****67')
  })
})

describe('maskIdNumber', () => {
  it('when given an 18-character ID number keeps the first 4 and last 4', () => {
    expect(maskIdNumber('320102199001011234')).toBe('3201**********1234')
  })

  it('when given a 15-digit ID number keeps the first 4 and last 4', () => {
    expect(maskIdNumber('320102900101123')).toBe('3201*******1123')
  })
})

describe('normalizeIdNumber', () => {
  it('when written with full-width digits, spaces and a lower-case x gives the canonical form', () => {
    expect(normalizeIdNumber(' ３２０１０２ 19900101123x ')).toBe('32010219900101123X')
  })

  it('when the number has the wrong length throws a user-facing error', () => {
    expect(() => normalizeIdNumber('3201021990')).toThrow(UserFacingError)
  })
})

describe('normalizePhone', () => {
  it('when written with +86, dashes and spaces gives the bare digits', () => {
    expect(normalizePhone('+86 138-0000-1111')).toBe('13800001111')
  })

  it('when it holds letters throws a user-facing error', () => {
    expect(() => normalizePhone('138abc')).toThrow(UserFacingError)
  })
})

describe('Pii', () => {
  it('when a value is sealed opens back to it and never contains it in clear', () => {
    const pii = new Pii(SECRET)

    const sealed = pii.seal('idNumber', '320102199001011234')

    expect(sealed).not.toContain('320102199001011234')
    expect(pii.open('idNumber', sealed)).toBe('320102199001011234')
  })

  it('when the same value is sealed twice gives different ciphertexts', () => {
    const pii = new Pii(SECRET)

    expect(pii.seal('phone', '13800001111')).not.toBe(pii.seal('phone', '13800001111'))
  })

  it('when a sealed value is opened as another field throws', () => {
    const pii = new Pii(SECRET)
    const sealed = pii.seal('phone', '13800001111')

    expect(() => pii.open('idNumber', sealed)).toThrow(/SECRET_KEY/)
  })

  it('when opened with another SECRET_KEY throws', () => {
    const sealed = new Pii(SECRET).seal('phone', '13800001111')

    expect(() => new Pii(`${SECRET}-other`).open('phone', sealed)).toThrow(/SECRET_KEY/)
  })

  it('when the same value is MACed twice gives the same look-up key, per field and secret', () => {
    const pii = new Pii(SECRET)

    expect(pii.mac('idNumber', '320102199001011234')).toBe(
      pii.mac('idNumber', '320102199001011234'),
    )
    expect(pii.mac('phone', '13800001111')).not.toBe(pii.mac('idNumber', '13800001111'))
    expect(new Pii(`${SECRET}-other`).mac('phone', '13800001111')).not.toBe(
      pii.mac('phone', '13800001111'),
    )
  })

  it('when the secret is shorter than 16 characters refuses to start', () => {
    expect(() => new Pii('short')).toThrow(/SECRET_KEY/)
  })
})

describe('redactForLog', () => {
  it('masks phone and ID numbers, full-width ones too, as replies do', () => {
    expect(
      redactForLog('添加对象 张三 铁炉嘴村 残疾军人 电话13800001111 身份证32010219900101123X'),
    ).toBe('添加对象 张三 铁炉嘴村 残疾军人 电话138****1111 身份证3201**********123X')
    expect(redactForLog('电话１３８００００１１１１')).toBe('电话138****1111')
  })

  it('hides group robot keys, tokens and 加签 secrets', () => {
    const line =
      '绑定群 铁炉嘴村 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7abc-4bc4-97a0-0ec2bcfa5aaa ' +
      'https://oapi.dingtalk.com/robot/send?access_token=abc123def SEC0123abcd9876'

    const redacted = redactForLog(line)

    expect(redacted).not.toMatch(/693a91f6|abc123def|0123abcd9876/)
    expect(redacted).toContain('铁炉嘴村')
  })

  it('never lets an 18-character ID number through, wherever it sits in the text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.stringMatching(/^[1-9]\d{16}[\dX]$/),
        fc.string({ maxLength: 20 }),
        (before, id, after) => {
          expect(redactForLog(`${before}${id}${after}`)).not.toContain(id)
        },
      ),
    )
  })
})
