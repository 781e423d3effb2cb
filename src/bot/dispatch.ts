import { randomUUID } from 'node:crypto'
import { StoreUnavailableError, UnreadableRecordError, UserFacingError } from '../errors.js'
import { lazyChild, type Logger } from '../log.js'
import type { Metrics } from '../metrics.js'
import { foldText, withoutListNumbers } from '../parse/normalize.js'
import type { IncomingMessage, Reply } from '../platforms/types.js'
import type { Keys } from '../records/keys.js'
import {
  COMMITTED_PREFIX,
  FINAL_MARKER,
  FINAL_MARKER_TTL_SECONDS,
  LEASE_PREFIX,
  type MessageCommit,
  type MessageCommits,
} from '../records/message-commits.js'
import { redactForLog } from '../records/pii.js'
import type { RedisClient } from '../records/redis.js'
import { claimAndRead, ReadBatch } from '../records/reads.js'
import { RELEASE_CLAIM } from '../records/scripts.js'
import { platformNameOf, type RoleBinding, type RoleStore } from '../records/role-store.js'
import { mayRun, messageKey, type Actor, type Command, type CommandContext } from './command.js'
import { createCommandParser, type ParsedCommand } from './parse-command.js'
import type { Clock } from '../time/clock.js'
import { userKeyOf } from '../user-key.js'

/**
 * Something that may claim a message before command parsing: the multi-turn form engine
 * answers the next message of a user who is filling in a form. Its state (at `stateKey`) is
 * read in the same round trip as the dedupe claim and the role; `resume` then answers from it
 * (`undefined` = not mine after all).
 */
export interface ConversationHandler {
  /** The string key its saved state lives at, read in the message's first round trip. */
  stateKey(message: IncomingMessage): string
  resume(
    /** `parse` names the command word a text starts with, undefined for a plain answer. */
    ctx: Omit<CommandContext, 'args'> & { parse: (text: string) => string | undefined },
    saved: string,
  ): Promise<Reply[] | DiscardedConversation | InterruptedConversation | undefined>
}

/**
 * What `resume` answers when the saved state no longer reads: it has been dropped, the
 * message is handled as if there had been none, and `discarded` goes before its replies.
 */
export interface DiscardedConversation {
  discarded: Reply
}

/**
 * What `resume` answers for a command sent in the middle of a conversation: the command runs
 * as if there were none, and `settle` adds to its replies what became of the conversation.
 */
export interface InterruptedConversation {
  settle(replies: Reply[]): Promise<Reply[]>
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
  /** Shared with the record stores, whose write under a message's key makes it final. */
  commits?: MessageCommits
  /**
   * How long an attempt holds a message before a redelivery may take it over, ms: longer
   * than an attempt takes even against a slow Redis (3 s per command), and shorter than
   * the span of WeCom's three retries (each after 5 s without an answer), so a killed
   * attempt's message is still taken up by a later retry. @defaultValue 10000
   */
  claimLeaseMs?: number
}

/**
 * A redelivery of a message another attempt is handling right now: answered 503, so the
 * platform asks again once that attempt has committed (then it is a duplicate) or failed.
 */
export class MessageInFlightError extends Error {
  constructor(readonly messageId: string) {
    super(`message ${messageId} is being handled by another attempt`)
    this.name = 'MessageInFlightError'
  }
}

interface FirstRoundTrip {
  /** `claimed` by this attempt, `final` once handled, `leased` by another attempt now. */
  claimed: 'claimed' | 'final' | 'leased'
  /** What held the marker when it was not claimed. */
  marker?: string
  actor: Actor
  conversation: string | undefined
  prefetched?: unknown
}

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
   * already handled (one line naming the record when a record write committed it).
   * Throws StoreUnavailableError (→ 503, redelivered, the lease released) and
   * MessageInFlightError (→ 503: another attempt holds the lease), nothing else: any other
   * failure is logged once and answered with an apology.
   */
  async handle(message: IncomingMessage): Promise<Reply[] | undefined> {
    const started = performance.now()
    const seenKey = this.deps.keys.seenMessage(message.platform, message.messageId)
    const lease = `${LEASE_PREFIX}${randomUUID()}`
    const text = withoutListNumbers(foldText(message.text))
    const now = this.now()
    const log = lazyChild(this.log, {
      platform: message.platform,
      messageId: message.messageId,
      chatId: message.chat.chatId,
    })
    let parsed: ParsedCommand | undefined
    let first: FirstRoundTrip
    try {
      parsed = message.event ? undefined : this.parse(text)
      first = await this.firstRoundTrip(message, seenKey, lease, parsed, now, log)
    } catch (err) {
      return this.failed(err, seenKey, lease, message, log)
    }
    if (first.claimed !== 'claimed') {
      this.deps.metrics?.dedupeHits.inc({ platform: message.platform })
      if (first.claimed === 'leased') throw new MessageInFlightError(message.messageId)
      return redeliveredAnswer(first.marker ?? '')
    }
    const commit = this.deps.commits?.begin(messageKey(message), seenKey)
    try {
      const replies = await this.route({
        message: Object.assign({}, message, { text }),
        typedText: message.text,
        now,
        parsed,
        actor: first.actor,
        conversation: first.conversation,
        prefetched: first.prefetched,
        log,
      })
      this.deps.metrics?.handlingSeconds.observe(
        { platform: message.platform },
        (performance.now() - started) / 1000,
      )
      this.finalize(seenKey, commit, log)
      return replies
    } catch (err) {
      return this.failed(err, seenKey, lease, message, log)
    } finally {
      if (commit) this.deps.commits?.end(commit)
    }
  }

  /**
   * Makes the marker final unless the write script already did (a record written under the
   * message's key): commands that write nothing else (统计, 帮助, a form's next question).
   * Not awaited: the reply is ready, and a marker that fails to land leaves the lease to
   * run out, after which a redelivery is handled again (writes are idempotent).
   */
  private finalize(seenKey: string, commit: MessageCommit | undefined, log: Logger): void {
    if (commit?.committed) return
    this.deps.redis
      .set(seenKey, FINAL_MARKER, 'EX', FINAL_MARKER_TTL_SECONDS)
      .catch((err: unknown) => log.warn({ err }, 'redelivery marker not made final'))
  }

  /**
   * The redelivery claim, the role, any open form and the command's own reads, in one script
   * (FIRST_READS) rather than a command each: each command costs the event loop more than the
   * work on its answer. Claimed before processing: WeCom retries after 5 s while a slow first
   * attempt may still run. The command's reads are made only when the message is claimed, and
   * one that fails costs only that read (the command then reads for itself).
   */
  private async firstRoundTrip(
    message: IncomingMessage,
    seenKey: string,
    lease: string,
    parsed: ParsedCommand | undefined,
    now: Date,
    log: Logger,
  ): Promise<FirstRoundTrip> {
    const userKey = userKeyOf(message.platform, message.sender.userId)
    const bootstrapAdmin = this.deps.adminUsers.includes(userKey)
    const formKey = this.deps.conversation?.stateKey(message)
    // The command's own reads join the claim's script: asked now, synchronously, sent sealed.
    const batch = new ReadBatch(this.deps.redis)
    // A failed prefetch only costs the command its own read later.
    const prefetching = parsed?.command.prefetch?.(parsed.args, now, batch).catch(() => undefined)
    const { held, role, form } = await claimAndRead(
      this.deps.redis,
      {
        seenKey,
        lease,
        leaseMs: this.deps.claimLeaseMs ?? 10_000,
        rolesKey: this.deps.keys.roles(),
        // A bootstrap admin's binding too: its role is not needed, its name is.
        roleField: userKey,
        formKey,
      },
      batch,
    )
    const prefetched = await prefetching
    // What holds the marker when it is not claimed: a final marker or another attempt's lease.
    if (held !== null) {
      return {
        claimed: held.startsWith(LEASE_PREFIX) ? 'leased' : 'final',
        marker: held,
        actor: { key: '', role: undefined, villages: [], name: undefined },
        conversation: undefined,
      }
    }
    return {
      claimed: 'claimed',
      actor: this.actorOf(message, userKey, role, bootstrapAdmin, now, log),
      conversation: form ?? undefined,
      prefetched,
    }
  }

  /**
   * The one error boundary. The store being unavailable → this attempt's lease is released
   * so the platform's redelivery after our 503 is processed; anything else is a bug: logged
   * once, answered with an apology, the marker made final so a redelivery of the same
   * message is not apologised for twice.
   */
  private async failed(
    err: unknown,
    seenKey: string,
    lease: string,
    message: IncomingMessage,
    log: Logger,
  ): Promise<Reply[]> {
    if (err instanceof StoreUnavailableError) {
      // Not awaited: during a failover the release meets the same retries (≈1.6 s in a
      // cluster) and the 503 must not wait for it. Sent after the claim on the same
      // connection, it runs after a claim that timed out here yet lands later, and deletes
      // only this attempt's lease: never a final marker a committed write left. EVAL, not
      // EVALSHA: a NOSCRIPT answer would send the script again behind the redelivery's
      // claim. Refused too, the lease runs out by itself (docs/delivery.md).
      this.deps.redis.eval(RELEASE_CLAIM, 1, seenKey, lease).catch(() => undefined)
      throw err
    }
    log.error({ err, text: redactForLog(message.text) }, 'message handling failed')
    this.finalize(seenKey, undefined, log)
    return [{ text: APOLOGY }]
  }

  private async route(turn: {
    /** The message with its text folded (traditional → simplified, full-width → half-width). */
    message: IncomingMessage
    /** Its text as typed, for the free text commands store as typed (CommandContext). */
    typedText: string
    now: Date
    parsed: ParsedCommand | undefined
    actor: Actor
    conversation: string | undefined
    prefetched: unknown
    log: Logger
  }): Promise<Reply[]> {
    const { message, typedText, now, parsed, actor, conversation, log } = turn
    try {
      if (message.event?.type === 'enter') {
        return actor.role
          ? [{ text: '您好，我是双拥助手。回复「帮助」查看可用命令。' }]
          : [notRegistered(actor)]
      }
      if (this.deps.conversation && conversation !== undefined && actor.role) {
        const claimed = await this.deps.conversation.resume(
          { message, typedText, actor, now, log, parse: (t) => this.parse(t)?.command.name },
          conversation,
        )
        if (Array.isArray(claimed)) return claimed
        if (claimed && 'settle' in claimed) {
          return claimed.settle(
            await this.route(Object.assign({}, turn, { conversation: undefined })),
          )
        }
        if (claimed) {
          const replies = await this.route(Object.assign({}, turn, { conversation: undefined }))
          return [claimed.discarded, ...replies]
        }
      }
      if (message.event) return []
      if (!parsed) {
        if (!actor.role) return [notRegistered(actor)]
        // A form holding a write answers 「确认」 itself, so here nothing is waiting for it.
        if (isConfirmation(message.text)) return [{ text: NOTHING_TO_CONFIRM }]
        const courtesy = courtesyReply(message.text)
        if (courtesy) return [{ text: courtesy }]
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
        typedText,
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

  /**
   * The sender as their binding `raw` (read in the first round trip) has them; a bootstrap
   * admin is an admin whatever it says. A binding that no longer reads counts as none, logged.
   * A name the platform sent (DingTalk's senderNick) that the binding lacks is the actor's
   * name at once, and recorded on the binding off the reply path (noteName).
   */
  private actorOf(
    message: IncomingMessage,
    key: string,
    raw: string | null,
    bootstrapAdmin: boolean,
    now: Date,
    log: Logger,
  ): Actor {
    let binding: RoleBinding | undefined
    try {
      binding = this.deps.roles.decode(key, raw)
    } catch (err) {
      if (!(err instanceof UnreadableRecordError)) throw err
      log.warn(
        { userKey: key, key: err.key, field: err.field, reason: err.reason },
        'role binding unreadable; treated as none',
      )
    }
    let name = binding?.name
    // Checked only when it differs: most messages carry no name, or the one recorded.
    const sent = message.sender.name
    if (sent !== undefined && sent !== name) {
      const usable = platformNameOf(sent)
      if (usable !== undefined && usable !== name) {
        name = usable
        if (binding !== undefined) this.noteName(message, key, usable, now, log)
      }
    }
    if (bootstrapAdmin) return { key, role: 'admin', villages: [], name }
    if (binding === undefined) return { key, role: undefined, villages: [], name: undefined }
    return { key, role: binding.role, villages: binding.villages, name }
  }

  /**
   * Records the name the platform sent on the sender's binding, once per change of name: not
   * awaited, so the reply never waits for it, and a failure is only logged (the next message
   * with that name tries again). Keyed by the message, so a redelivery writes nothing more.
   */
  private noteName(
    message: IncomingMessage,
    key: string,
    name: string,
    now: Date,
    log: Logger,
  ): void {
    const meta = { actor: key, at: now, idempotencyKey: `${messageKey(message)}#name` }
    this.deps.roles
      .rename(key, name, meta)
      .catch((err: unknown) => log.warn({ err, userKey: key }, 'sender name not recorded'))
  }
}

/**
 * What a redelivery of a handled message answers: nothing, unless a record write committed it.
 * Then the first answer may never have arrived (a 503 past the deadline, a process killed
 * after the commit), and the marker names the record, so the sender learns it was stored.
 */
function redeliveredAnswer(marker: string): Reply[] | undefined {
  if (!marker.startsWith(COMMITTED_PREFIX)) return undefined
  const id = Number(marker.slice(COMMITTED_PREFIX.length))
  const record = Number.isSafeInteger(id) && id > 0 ? `（记录 #${id}）` : ''
  return [{ text: `这条消息已处理过${record}，无需重发。` }]
}

/**
 * What 「确认」 is answered when no form waits for it: the hold it answered was closed (a
 * command came in between) or ran out, or it was never asked.
 */
export const NOTHING_TO_CONFIRM = '没有待确认的内容。要登记请直接发，如\n「走访 张三 今天 八一」。'

// The word every held write asks for, with a closing mark. Not 是, 对 or ok: said in passing as
// often as to a question, and answered as before.
const CONFIRMATION = /^(?:确认|确定)(?:登记)?[。.!~]*$/

/** Whether the (folded) `text` is only a 「确认」. */
function isConfirmation(text: string): boolean {
  return CONFIRMATION.test(text.trim())
}

// 谢谢, 收到, 好的: a cadre closing a chat as they would with a person, where 「没看懂」 read as
// a rebuke. Only with nothing open: a form reads them itself (好的 to a hold asks again).
const THANKS = /^(?:谢谢你?|多谢|感谢|辛苦)(?:了|啦|您)?[。.!~]*$/
const ACKNOWLEDGED = /^(?:好的|好滴|收到|知道|明白|了解|嗯嗯)(?:了|啦)?[。.!~]*$/

/** The one-line answer to a courtesy (folded `text`), or undefined when it is none. */
function courtesyReply(text: string): string | undefined {
  const said = text.trim()
  const opening = THANKS.test(said) ? '不客气。' : ACKNOWLEDGED.test(said) ? '好的。' : undefined
  return opening && `${opening}有事直接发消息，不会写可回复「帮助」。`
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
