import { describe, expect, it } from 'vitest'
import { WebhookAuthError } from '../../../src/errors.js'
import {
  computeDingtalkSign,
  signCustomRobotUrl,
  verifyDingtalkRobotSign,
} from '../../../src/platforms/dingtalk/signature.js'
import { signedRobotRequest } from '../../support/fake-dingtalk.js'

const SECRET = 'test-app-secret-0123456789abcdef'
const NOW = new Date(1785294601000)
const MINUTE = 60_000

function headersAt(timestampMs: number) {
  return signedRobotRequest({}, SECRET, timestampMs).headers
}

describe('verifyDingtalkRobotSign', () => {
  it('when the sign matches a fresh timestamp, accepts the request', () => {
    const { timestamp, sign } = headersAt(NOW.getTime())

    expect(() => verifyDingtalkRobotSign(timestamp, sign, SECRET, NOW)).not.toThrow()
  })

  it('when the timestamp is 59 minutes old, still accepts it', () => {
    const { timestamp, sign } = headersAt(NOW.getTime() - 59 * MINUTE)

    expect(() => verifyDingtalkRobotSign(timestamp, sign, SECRET, NOW)).not.toThrow()
  })

  it('when the sign was made with another secret, throws WebhookAuthError', () => {
    const { timestamp } = headersAt(NOW.getTime())
    const forged = computeDingtalkSign(timestamp!, 'not-the-secret')

    expect(() => verifyDingtalkRobotSign(timestamp, forged, SECRET, NOW)).toThrow(WebhookAuthError)
  })

  it('when the sign has a different length, throws WebhookAuthError rather than a RangeError', () => {
    const { timestamp, sign } = headersAt(NOW.getTime())

    expect(() => verifyDingtalkRobotSign(timestamp, sign!.slice(1), SECRET, NOW)).toThrow(
      WebhookAuthError,
    )
  })

  it('when the headers are missing, throws WebhookAuthError', () => {
    const { timestamp, sign } = headersAt(NOW.getTime())

    expect(() => verifyDingtalkRobotSign(undefined, sign, SECRET, NOW)).toThrow(WebhookAuthError)
    expect(() => verifyDingtalkRobotSign(timestamp, undefined, SECRET, NOW)).toThrow(
      WebhookAuthError,
    )
    expect(() => verifyDingtalkRobotSign(undefined, undefined, SECRET, NOW)).toThrow(
      WebhookAuthError,
    )
  })

  it('when the timestamp is not a number of ms, throws WebhookAuthError', () => {
    const sign = computeDingtalkSign('soon', SECRET)

    expect(() => verifyDingtalkRobotSign('soon', sign, SECRET, NOW)).toThrow(WebhookAuthError)
  })

  it('when the timestamp is 61 minutes old, throws WebhookAuthError even with a valid sign', () => {
    const { timestamp, sign } = headersAt(NOW.getTime() - 61 * MINUTE)

    expect(() => verifyDingtalkRobotSign(timestamp, sign, SECRET, NOW)).toThrow(WebhookAuthError)
  })

  it('when the timestamp is 61 minutes in the future, throws WebhookAuthError', () => {
    const { timestamp, sign } = headersAt(NOW.getTime() + 61 * MINUTE)

    expect(() => verifyDingtalkRobotSign(timestamp, sign, SECRET, NOW)).toThrow(WebhookAuthError)
  })
})

describe('signCustomRobotUrl', () => {
  it('when given the reference timestamp and secret, yields the URL-encoded reference sign', () => {
    expect(signCustomRobotUrl('this is secret', 1577262236757)).toBe(
      'hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D',
    )
  })

  it('when decoded once, gives back the base64 sign, so it is encoded exactly once', () => {
    expect(decodeURIComponent(signCustomRobotUrl('this is secret', 1577262236757))).toBe(
      'hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=',
    )
  })
})
