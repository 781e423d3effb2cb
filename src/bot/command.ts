import type { Logger } from '../log.js'
import type { IncomingMessage, Reply } from '../platforms/types.js'
import type { Role } from '../records/role-store.js'
import type { StoreReads } from '../records/reads.js'
import type { WriteMeta } from '../records/schemas.js'

/**
 * The idempotency key of a message, `platform:messageId`: its writes carry it, so the
 * platform's redelivery of the message finds them done instead of doing them again.
 */
export function messageKey(message: Pick<IncomingMessage, 'platform' | 'messageId'>): string {
  return `${message.platform}:${message.messageId}`
}

/**
 * The WriteMeta of a write made for the message in `ctx`: who, when, and its idempotency key.
 * `suffix` tells apart several writes one message makes (`#1`, `#2` of a list).
 */
export function writeMetaOf(
  ctx: {
    actor: Pick<Actor, 'key'>
    now: Date
    message: Pick<IncomingMessage, 'platform' | 'messageId'>
  },
  suffix = '',
): WriteMeta {
  return {
    actor: ctx.actor.key,
    at: ctx.now,
    idempotencyKey: `${messageKey(ctx.message)}${suffix}`,
  }
}

/** Who sent a message, with the role and villages the bot knows for them. */
export interface Actor {
  /** `platform:userId`, the id used in roles, audit entries and records. */
  key: string
  role: Role | undefined
  /** Villages a cadre may read and write; empty for leaders and admins, who see all. */
  villages: readonly string[]
  /**
   * The person's name, from the same binding read (设置角色's, or the platform's nick the
   * dispatcher is recording); undefined when nobody named them. Use actorName to show one.
   */
  name?: string | undefined
}

/**
 * How the sender of `ctx.message` is shown to people (走访人, 登记人): the name on their
 * binding, else the name their platform sent, else the account's user id. Never a phone.
 */
export function actorName(ctx: {
  actor: Pick<Actor, 'name'>
  message: Pick<IncomingMessage, 'sender'>
}): string {
  return ctx.actor.name ?? ctx.message.sender.name ?? ctx.message.sender.userId
}

/**
 * The one village-scope policy: a cadre reads and writes only the villages bound to them;
 * leaders and admins every village. Every command asks here rather than testing roles itself.
 */
export function mayTouch(actor: Actor, village: string): boolean {
  return actor.role !== 'cadre' || actor.villages.includes(village)
}

/** The villages `actor` is limited to, for a store or reader; undefined = every village. */
export function scopeOf(actor: Actor): readonly string[] | undefined {
  return actor.role === 'cadre' ? actor.villages : undefined
}

export interface CommandContext {
  message: IncomingMessage
  actor: Actor
  /** Folded text after the command word, trimmed. */
  args: string
  /**
   * The message's text as the sender typed it, before foldText (`message.text` is folded):
   * what free text (a 备注, a 需求) is stored as, its span found by typedTail
   * (src/parse/normalize.ts). Undefined in a context built without a message as typed; the
   * folded text then serves.
   */
  typedText?: string
  now: Date
  log: Logger
  /** What the command's `prefetch` read, when it has one and the read succeeded. */
  prefetched?: unknown
}

/** Who may run a command: `anyone` includes unregistered users. */
export type Audience = 'anyone' | readonly Role[]

export interface Command {
  /** The command word users type, in simplified Chinese. */
  name: string
  aliases?: readonly string[]
  /**
   * The text with this command's word moved to its start, when the word may come after a
   * qualifier (`2026年年报`, `发放2026年优待金`); undefined when the text is not so written.
   */
  wordFirst?(text: string): string | undefined
  audience: Audience
  /** One line for 帮助. */
  summary: string
  /** One example for 帮助. */
  example: string
  /** Validates `ctx.args`, reads or writes records, and returns what to say. Never sends. */
  run(ctx: CommandContext): Promise<Reply | Reply[]>
  /**
   * Reads the command will need, asked before the sender's role is known so they share the
   * dispatcher's first round trip with the redelivery claim (a round trip costs the event loop
   * more than most commands' own work). The reads asked of `reads` before the first `await`
   * travel in the claim's own script; later ones are sent alone. Must not depend on who asks:
   * `run` filters by role. Wasted when the message is a form answer or not allowed; when it
   * fails, `run` reads for itself.
   */
  prefetch?(args: string, now: Date, reads: StoreReads): Promise<unknown>
}

export const CADRE_AND_UP: readonly Role[] = ['admin', 'leader', 'cadre']
export const LEADER_AND_UP: readonly Role[] = ['admin', 'leader']
export const ADMIN_ONLY: readonly Role[] = ['admin']

export function mayRun(command: Command, role: Role | undefined): boolean {
  if (command.audience === 'anyone') return true
  return role !== undefined && command.audience.includes(role)
}
