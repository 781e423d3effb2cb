import { createHmac, timingSafeEqual } from 'node:crypto'
import { WebhookAuthError } from '../../errors.js'

/** How far a callback's `timestamp` header may be from our clock, either way, ms. */
export const DINGTALK_SIGN_WINDOW_MS = 60 * 60 * 1000

/**
 * base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret)): the robot callback
 * sign and the custom robot 加签 share this formula; only the custom robot URL-encodes it.
 */
export function computeDingtalkSign(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64')
}

/**
 * Checks the `timestamp` (ms) and `sign` headers of an app robot callback against the
 * AppSecret. Returns quietly when both pass; throws WebhookAuthError otherwise.
 */
// https://open.dingtalk.com/document/orgapp/receive-message
// "timestamp 与系统当前时间戳如果相差1小时以上，则认为是非法的请求" and "sign 与计算结果不一致，则认为是非法的请求"
export function verifyDingtalkRobotSign(
  timestamp: string | undefined,
  sign: string | undefined,
  appSecret: string,
  now: Date,
): void {
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) {
    throw new WebhookAuthError('dingtalk: timestamp header missing or not a number of ms')
  }
  if (Math.abs(now.getTime() - Number(timestamp)) > DINGTALK_SIGN_WINDOW_MS) {
    throw new WebhookAuthError('dingtalk: timestamp header more than 1 hour from now')
  }
  if (sign === undefined || sign === '') {
    throw new WebhookAuthError('dingtalk: sign header missing')
  }
  const expected = Buffer.from(computeDingtalkSign(timestamp, appSecret), 'utf8')
  const given = Buffer.from(sign, 'utf8')
  // Constant time, so response timing does not reveal how many leading bytes of a forged
  // sign were right; timingSafeEqual itself throws on a length mismatch, hence the check first.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookAuthError('dingtalk: sign does not match the AppSecret')
  }
}

/**
 * The `sign` query value for a custom group robot (自定义机器人) with 加签 on: already
 * URL-encoded, so append it to the URL as is and never encode it again.
 */
// https://open.dingtalk.com/document/orgapp/customize-robot-security-settings
// "把 timestamp+\n+密钥 当做签名字符串，使用 HmacSHA256 算法计算签名，然后进行 Base64 encode，最后再把签名参数再进行 urlEncode"
// and "timestamp 与请求调用时间误差不能超过1小时"
export function signCustomRobotUrl(secret: string, timestampMs: number): string {
  return encodeURIComponent(computeDingtalkSign(String(timestampMs), secret))
}
