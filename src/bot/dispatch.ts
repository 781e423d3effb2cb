import { UserFacingError } from '../errors.js'
import type { Logger } from '../log.js'
import type { Metrics } from '../metrics.js'
import { foldText } from '../parse/normalize.js'
import type { IncomingMessage, Reply } from '../platforms/types.js'
import type { Keys } from '../records/keys.js'
import { redactForLog } from '../records/pii.js'
import { isRedisUnavailable, type RedisClient } from '../records/redis.js'
import type { RoleStore } from '../records/role-store.js'
import { mayRun, type Actor, type Command, type CommandContext } from './command.js'
import { createCommandParser, type ParsedCommand } from './parse-command.js'
import type { Clock } from '../time/clock.js'

/**
 * Something that may claim a message before command parsing: the multi-turn form engine
 * answers the next message of a user who is filling in a form. Its state is read by
 * `pending` in the same round trip as the dedupe claim and the role; `resume` then answers
 * from it (`undefined` = not mine after all).
 */
export interface ConversationHandler {
  pending(message: IncomingMessage): Promise<string | undefined>
  resume(
    ctx: Omit<CommandContext, 'args'> & { parse: (text: string) => boolean },
    saved: string,
  ): Promise<Reply[] | undefined>
}

export interface DispatcherDeps {
  redis: RedisClient
  keys: Keys
  roles: RoleStore
  commands: readonly Command[]
  /** `platform:userId` of bootstrap admins (ADMIN_USERS). */
  adminUsers: readonly string[]
  log: Logger
  metrics?: Metrics
  conversation?: ConversationHandler
  now: Clock
}

/** How long a handled message id is remembered; platforms redeliver within minutes. */
const SEEN_TTL_SECONDS = 3 * 24 * 3600

export const APOLOGY = '抱歉，处理这条消息时出错了，已记录。请稍后再试；如一直出错，请联系管理员。'

/**
 * The one path every message takes: drop redeliveries, resolve the sender's role, run
 * the command, and turn every failure into a reply. The single error boundary.
 */
export class Dispatcher {
  private readonly parse: ReturnType<typeof createCommandParser>
  private readonly now: () => Date
  private readonly log: Logger

  constructor(private readonly deps: DispatcherDeps) {
    this.parse = createCommandParser(deps.commands)
    this.now = deps.now
    this.log = deps.log.child({ logger: 'bot:dispatch' })
  }

  /**
   * Handles one verified message. Returns the replies, or `undefined` for a redelivery
   * already handled. Throws StoreUnavailableError-like Redis errors (→ 503, redelivered)
   * and nothing else.
   */
  async handle(message: IncomingMessage): Promise<Reply[] | undefined> {
    const started = performance.now()
    const seenKey = this.deps.keys.seenMessage(message.platform, message.messageId)
    const text = foldText(message.text)
    const now = this.now()
    const parsed = message.event ? undefined : this.parse(text)
    // Claimed before processing: WeCom retries after 5 s while a slow first attempt may still run.
    // The role, any open form and the command's own reads go alongside the claim: one round
    // trip instead of four (each costs the event loop more than the work on its answer), wasted
    // only for the rare redelivery.
    let claimed: string | null
    let actor: Actor
    let conversation: string | undefined
    let prefetched: unknown
    try {
      ;[claimed, actor, conversation, prefetched] = await Promise.all([
        this.deps.redis.set(seenKey, '1', 'EX', SEEN_TTL_SECONDS, 'NX'),
        this.resolveActor(message),
        this.deps.conversation?.pending(message),
        parsed?.command.prefetch?.(parsed.args, now).catch(() => undefined),
      ])
    } catch (err) {
      await this.deps.redis.del(seenKey).catch(() => undefined)
      throw err
    }
    if (claimed === null) {
      this.deps.metrics?.dedupeHits.inc({ platform: message.platform })
      return undefined
    }
    const log = this.log.child({
      platform: message.platform,
      messageId: message.messageId,
      chatId: message.chat.chatId,
    })
    try {
      const replies = await this.route({
        message: { ...message, text },
        now,
        parsed,
        actor,
        conversation,
        prefetched,
        log,
      })
      this.deps.metrics?.handlingSeconds.observe(
        { platform: message.platform },
        (performance.now() - started) / 1000,
      )
      return replies
    } catch (err) {
      if (isRedisUnavailable(err)) {
        // Release the claim so the platform's redelivery is processed; Redis may refuse this too.
        await this.deps.redis.del(seenKey).catch(() => undefined)
        throw err
      }
      log.error({ err, text: redactForLog(message.text) }, 'message handling failed')
      return [{ text: APOLOGY }]
    }
  }

  private async route(turn: {
    /** The message with its text folded (traditional → simplified, full-width → half-width). */
    message: IncomingMessage
    now: Date
    parsed: ParsedCommand | undefined
    actor: Actor
    conversation: string | undefined
    prefetched: unknown
    log: Logger
  }): Promise<Reply[]> {
    const { message, now, parsed, actor, conversation, log } = turn
    try {
      if (message.event?.type === 'enter') {
        return actor.role
          ? [{ text: '您好，我是双拥助手。回复「帮助」查看可用命令。' }]
          : [notRegistered(actor)]
      }
      if (this.deps.conversation && conversation !== undefined && actor.role) {
        const claimed = await this.deps.conversation.resume(
          { message, actor, now, log, parse: (t) => this.parse(t) !== undefined },
          conversation,
        )
        if (claimed) return claimed
      }
      if (message.event) return []
      if (!parsed) {
        if (!actor.role) return [notRegistered(actor)]
        return [{ text: '没看懂这条消息。回复「帮助」查看可用命令和示例。' }]
      }
      if (!mayRun(parsed.command, actor.role)) {
        if (!actor.role) return [notRegistered(actor)]
        return [
          {
            text: `「${parsed.command.name}」需要${audienceLabel(parsed.command)}权限，您当前是${roleLabel(actor.role)}。如需开通请联系管理员。`,
          },
        ]
      }
      const result = await parsed.command.run({
        message,
        actor,
        args: parsed.args,
        now,
        log,
        prefetched: turn.prefetched,
      })
      return Array.isArray(result) ? result : [result]
    } catch (err) {
      if (err instanceof UserFacingError) return [{ text: err.replyText }]
      throw err
    }
  }

  private async resolveActor(message: IncomingMessage): Promise<Actor> {
    const key = `${message.platform}:${message.sender.userId}`
    if (this.deps.adminUsers.includes(key)) return { key, role: 'admin', villages: [] }
    const binding = await this.deps.roles.get(key)
    return { key, role: binding?.role, villages: binding?.villages ?? [] }
  }
}

function notRegistered(actor: Actor): Reply {
  return { text: `您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：${actor.key}` }
}

const ROLE_LABELS = { admin: '管理员', leader: '领导', cadre: '村干部' } as const

export function roleLabel(role: keyof typeof ROLE_LABELS): string {
  return ROLE_LABELS[role]
}

function audienceLabel(command: Command): string {
  if (command.audience === 'anyone') return ''
  const lowest = command.audience.includes('cadre')
    ? 'cadre'
    : command.audience.includes('leader')
      ? 'leader'
      : 'admin'
  return `${ROLE_LABELS[lowest]}${lowest === 'admin' ? '' : '及以上'}`
}
