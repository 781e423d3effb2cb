import type { Logger } from '../../log.js'
import type { FetchLike, Reply } from '../types.js'
import { postDingtalkJson, toRobotBody, type DingtalkAt, type DingtalkHttp } from './client.js'
import { signCustomRobotUrl } from './signature.js'
import type { Clock } from '../../time/clock.js'

export interface DingtalkCustomRobotOptions {
  /** @defaultValue 'https://oapi.dingtalk.com' */
  oapiBase?: string
  /** The `access_token` value of the robot's Webhook URL (not the whole URL). */
  accessToken: string
  /** The 加签 secret (`SEC…`); unset when the robot is secured by keywords or IP ranges. */
  secret?: string
  /** @defaultValue globalThis.fetch */
  fetch?: FetchLike
  log: Logger
  /** Limit per HTTP request, ms. @defaultValue 10000 */
  timeoutMs?: number
  now: Clock
}

/**
 * A custom group robot (自定义机器人): push-only, one group, 20 messages a minute. Throws
 * PlatformApiError (130101 transient; 310000 and 300001 permanent) or PlatformHttpError.
 */
export class DingtalkCustomRobotClient {
  private readonly url: string
  private readonly secret: string | undefined
  private readonly log: Logger
  private readonly http: DingtalkHttp
  private readonly now: () => Date

  constructor(options: DingtalkCustomRobotOptions) {
    if (/^https?:/i.test(options.accessToken) || options.accessToken.includes('access_token=')) {
      // The usual cause of 300001 "token is not exist" (cryozerolabs/n8n-nodes-dingtalk#23).
      throw new Error(
        'DingtalkCustomRobotClient accessToken must be the value after access_token= in the robot Webhook URL, not the URL',
      )
    }
    const base = (options.oapiBase ?? 'https://oapi.dingtalk.com').replace(/\/+$/, '')
    this.url = `${base}/robot/send?access_token=${encodeURIComponent(options.accessToken)}`
    this.secret = options.secret
    this.log = options.log
    this.http = { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 10_000 }
    this.now = options.now
  }

  /** Posts one text or markdown message to the robot's group. */
  // https://open.dingtalk.com/document/orgapp/custom-robot-access
  // POST /robot/send?access_token=…[&timestamp=…&sign=…] → {"errcode":0,"errmsg":"ok"};
  // "每个机器人每分钟最多发送20条消息到群里，如果超过20条，会限流10分钟" (130101)
  async send(reply: Reply, at?: DingtalkAt): Promise<void> {
    let url = this.url
    if (this.secret !== undefined) {
      const timestamp = this.now().getTime()
      // signCustomRobotUrl is already URL-encoded: appended raw, never through URLSearchParams,
      // because encoding it twice is the classic "sign not match" (310000).
      url += `&timestamp=${timestamp}&sign=${signCustomRobotUrl(this.secret, timestamp)}`
    }
    this.log.debug({ msgtype: reply.layout ? 'markdown' : 'text' }, 'dingtalk custom robot send')
    await postDingtalkJson(this.http, 'robot/send', url, toRobotBody(reply, at))
  }
}
