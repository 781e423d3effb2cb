import type { Logger } from '../../log.js'
import type { FetchLike, Reply } from '../types.js'
import { renderMarkdown } from '../../replies/render-markdown.js'
import { callWecomApi } from './client.js'
import { truncateUtf8 } from './payload.js'

// developer.work.weixin.qq.com/document/path/99110
// "text content at most 2048 bytes, markdown content at most 4096 bytes, UTF-8".
const TEXT_LIMIT_BYTES = 2048
const MARKDOWN_LIMIT_BYTES = 4096

export interface WecomGroupRobotClientOptions {
  /** @defaultValue 'https://qyapi.weixin.qq.com' */
  apiBase?: string
  /** @defaultValue globalThis.fetch */
  fetch?: FetchLike
  log: Logger
  /** Per-request timeout, ms. @defaultValue 10000 */
  timeoutMs?: number
}

/**
 * Pushes to a WeCom group through a group robot (消息推送, formerly 群机器人). Push-only: the
 * robot cannot receive messages, so it serves campaign notices to a village group, not forms.
 */
export class WecomGroupRobotClient {
  private readonly apiBase: string
  private readonly fetch: FetchLike
  private readonly log: Logger
  private readonly timeoutMs: number

  constructor(options: WecomGroupRobotClientOptions) {
    this.apiBase = (options.apiBase ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '')
    this.fetch = options.fetch ?? globalThis.fetch
    this.log = options.log
    this.timeoutMs = options.timeoutMs ?? 10_000
  }

  /**
   * Sends `reply` through the robot whose webhook key is `key`, cut to the vendor limit with '…'.
   * Throws PlatformApiError (93000 removed / 93004 disabled: permanent; 45009 over 20 a minute:
   * transient) or PlatformHttpError.
   */
  async send(key: string, reply: Reply): Promise<void> {
    // developer.work.weixin.qq.com/document/path/99110
    // POST /cgi-bin/webhook/send?key=KEY {msgtype, text|markdown: {content}}; "each robot may
    // send at most 20 messages a minute"; success is {"errcode":0,"errmsg":"ok"}.
    // Group robots post into WeCom groups, read in the WeCom client, which renders markdown.
    const msgtype = reply.layout ? 'markdown' : 'text'
    const limit = reply.layout ? MARKDOWN_LIMIT_BYTES : TEXT_LIMIT_BYTES
    const full = reply.layout ? renderMarkdown(reply.layout, 'wecom') : reply.text
    const content = truncateUtf8(full, limit)
    if (content !== full) {
      this.log.warn({ limit }, 'wecom group robot message truncated')
    }
    await callWecomApi({
      fetch: this.fetch,
      // The key is the robot's only credential: it goes in the URL, never in logs or errors.
      method: 'webhook/send',
      url: `${this.apiBase}/cgi-bin/webhook/send?${new URLSearchParams({ key })}`,
      body: { msgtype, [msgtype]: { content } },
      timeoutMs: this.timeoutMs,
    })
  }
}
