import { z } from 'zod'
import { UnreadableRecordError, UserFacingError } from '../errors.js'
import type { Reply } from '../platforms/types.js'
import type { Keys } from '../records/keys.js'
import { readStored } from '../records/read-stored.js'
import type { RedisClient } from '../records/redis.js'
import { messageKey, type CommandContext } from './command.js'
import {
  droppedLine,
  heldDroppedLine,
  isLongReply,
  placeNote,
  setAsideLine,
  stillOpenLine,
  type FormSummary,
} from './form-notes.js'
import type {
  ConversationHandler,
  DiscardedConversation,
  InterruptedConversation,
} from './dispatch.js'

/** The context a form step sees: a command context without the command's own args. */
export type FormContext = Omit<CommandContext, 'args'>

/**
 * Field values collected so far; JSON-serialisable, as they live in Redis between turns. Each
 * kind types its own (VisitDraft, PaymentDraft, …) with the zod schema in its FormSpec.
 */
export type FormValues = Record<string, unknown>

export interface FormQuestion {
  field: string
  /** The question, with an example and how to leave (`取消`). */
  prompt: string
  /**
   * The question only asks to confirm something already refused (「这次未添加…否则不用回复」):
   * a command in its place closes the form, saying so once, instead of reminding after every
   * command that it waits. @defaultValue false
   */
  confirmOnly?: boolean
}

/**
 * One kind of multi-turn form (a visit, a payment, an activity) as data: which question
 * comes next, how an answer is read, and what to do once everything is there.
 */
export interface FormSpec<D extends FormValues = FormValues> {
  kind: string
  /**
   * What a draft of this kind is: every value the form may hold. A saved draft that no longer
   * parses, or was saved under another `version`, is dropped with a message, never misread.
   */
  draft: z.ZodType<D>
  /** Raise when the draft's shape changes in a way old drafts would be misread under. */
  version: number
  /** The next question given what is filled; undefined when the form is complete. */
  nextQuestion(
    values: D,
    ctx: FormContext,
  ): FormQuestion | undefined | Promise<FormQuestion | undefined>
  /**
   * Reads the answer to `field` and returns the draft's values with it, whole: they replace
   * the saved ones, so a field deleted is gone (a whole line as an answer may take back a
   * default such as the payment's date taken as today). Throws UserFacingError
   * with a re-ask (what was wrong and an example) when the answer does not parse.
   * May return a `say` line to show before the next question.
   */
  accept(
    field: string,
    answer: string,
    values: D,
    ctx: FormContext,
  ): Promise<{ values: D; say?: string }>
  /**
   * Stores the record. `idempotencyKey` names the message that completed the form, so a
   * redelivery of that message (after a 503) finds the write already done.
   */
  complete(values: D, idempotencyKey: string, ctx: FormContext): Promise<Reply | Reply[]>
  /**
   * Summarises `values` with `field` the question pending (a `held:` field for a write held by
   * ConfirmationNeeded). Without it the engine says only that a form is open.
   */
  describe?(values: D, field: string, ctx: FormContext): Promise<FormSummary>
  /**
   * An answer to a question the form did not ask, sent right after it stored (`无` when the
   * cash was never asked): the words it takes and what they are told instead of 没看懂.
   */
  strayAnswer?(values: D, stored: readonly Reply[]): StrayAnswer | undefined
  /**
   * The reply to `answer`, not among `stray`'s words, when it is still a stray answer (`300元`,
   * `米1袋` sent after a visit stored without cash); undefined when it is a new message.
   */
  answerStray?(answer: string, stray: StrayAnswer, ctx: FormContext): Promise<string | undefined>
  /**
   * Whether `answer` to the question `field` is this form's although it begins with a command
   * word, and so must not close the form: 慰问部队 and 慰问团 answer 是什么活动？ and begin
   * with 慰问 (a 走访 alias).
   */
  claimsAnswer?(field: string, answer: string): boolean
  /**
   * Whether `answer` to the question for `field` closes the form as 取消 does: a word the
   * question itself offered for that (「都不是请回复「取消」」 answered 都不是).
   */
  declines?(field: string, answer: string): boolean
}

/**
 * FormSpec.strayAnswer: `words` (a whole message, closing marks aside) get `reply`; others
 * FormSpec.answerStray answers. `recordId`: the record stored, for answerStray to name.
 */
export interface StrayAnswer {
  words: readonly string[]
  reply: string
  recordId?: number
}

/** How long after a record is stored a stray answer to it is still read as one. */
const STRAY_TTL_SECONDS = 5 * 60

/**
 * Thrown by a form's complete() to hold the write until the user replies 「确认」 (a duplicate,
 * contract "Duplicates"). The form stays open; 「确认」 sets `values[flag]` and completes again,
 * anything else that is not a command closes it with nothing stored.
 */
export class ConfirmationNeeded extends Error {
  constructor(
    readonly prompt: string,
    readonly flag: string,
  ) {
    super(prompt)
    this.name = 'ConfirmationNeeded'
  }
}

/** The field of a form held by ConfirmationNeeded: `held:<flag>`. */
const HELD = 'held:'

const CONFIRM_WORDS = new Set(['确认', '确定', '是', '是的', '对', 'ok', 'yes'])
/** Answers to a held write that agree without saying what to: asked again, never stored. */
const AGREEING_WORDS = new Set(['好', '好的', '行', '可以', '嗯', '嗯嗯', '收到', '知道了'])
const DECLINING_WORDS = new Set([
  '不',
  '不要',
  '不用',
  '不用了',
  '否',
  '算了',
  '不是',
  '不对',
  'no',
])

const formStateSchema = z.object({
  kind: z.string(),
  values: z.record(z.string(), z.unknown()),
  field: z.string(),
  /**
   * The message that started the form, so a form started afresh reads apart from the one it
   * replaced even with the same values. Absent in forms saved before it existed.
   */
  startedBy: z.string().optional(),
  /** The pending question is FormQuestion.confirmOnly. */
  confirmOnly: z.boolean().optional(),
  /** FormSpec.version of the kind when saved; absent in forms saved before drafts were typed. */
  version: z.number().int().optional(),
  /**
   * The 「还在进行」 line was said for the pending question: later commands are answered without
   * it, and no longer renew the form's TTL (docs/forms.md).
   */
  reminded: z.boolean().optional(),
  /** The form has stored; only FormSpec.strayAnswer's words are read, till another message. */
  stray: z
    .object({
      words: z.array(z.string()),
      reply: z.string(),
      recordId: z.number().int().positive().optional(),
    })
    .optional(),
  /**
   * When (ms, the bot's clock) the state was last saved or renewed: a state older than
   * FORM_TTL_SECONDS by the bot's clock has lapsed even if Redis still holds it (an injected
   * clock runs ahead of Redis's TTL), and the message is read as a new one.
   */
  savedAt: z.number().int().optional(),
})
type FormState = z.infer<typeof formStateSchema>

/** A half-filled form is kept this long between answers. */
const FORM_TTL_SECONDS = 30 * 60

const CANCEL_WORDS = new Set(['取消', '退出', '算了', 'cancel'])

/** The command word (src/commands/cancel.ts) that, sent in a form, stops it. */
export const CANCEL_COMMAND = '取消'

/** 帮助's reply is about how to go on, so the 「还在进行」 line goes under it however long. */
const HELP_COMMAND = '帮助'

export const DRAFT_DISCARDED = '上次未填完的登记无法继续，已作废，请重新发起。'

/**
 * The multi-turn form engine: one for every record kind. State lives in Redis under
 * (platform, chat, user) with a TTL, so a restart or another bot instance continues it.
 */
export class FormEngine implements ConversationHandler {
  private readonly specs: Map<string, FormSpec>
  /**
   * The kind of the record a message's command stored at once through start(), by message:
   * what tells an interrupted form that a record of its own kind replaced it.
   */
  private readonly completedAtOnce = new WeakMap<FormContext['message'], string>()

  constructor(
    private readonly deps: { redis: RedisClient; keys: Keys },
    specs: readonly FormSpec[],
  ) {
    this.specs = new Map(specs.map((s) => [s.kind, s]))
  }

  /**
   * Starts a form with what the one-line command already gave. Completes at once when
   * nothing is missing; otherwise saves the state and asks the first missing question.
   */
  async start(kind: string, values: FormValues, ctx: FormContext, lead?: string): Promise<Reply[]> {
    const spec = this.spec(kind)
    const startedBy = messageKey(ctx.message)
    return this.advance(
      spec,
      { kind, values: startingDraft(spec, values), field: '', startedBy },
      ctx,
      lead ? [lead] : [],
      false,
    )
  }

  /**
   * Says that this message stored records of `kind` without a form of its own (a batch: one
   * record per name or line): an open form of that kind is then dropped, as when a form
   * started by the message completes at once, rather than left to nag about a record the
   * batch may well have stored.
   */
  storedAtOnce(kind: string, message: FormContext['message']): void {
    this.completedAtOnce.set(message, kind)
  }

  /** The saved state of the sender's open form, if any. */
  async pending(message: FormContext['message']): Promise<string | undefined> {
    return (await this.deps.redis.get(this.stateKey(message))) ?? undefined
  }

  /** Where the sender's open form is saved (a string key), for the dispatcher's first reads. */
  stateKey(message: FormContext['message']): string {
    return this.key({ message })
  }

  /** Answers the next message of a sender with an open form (pending + resume). */
  async handle(
    ctx: FormContext & { parse: CommandWordOf },
  ): Promise<Reply[] | DiscardedConversation | InterruptedConversation | undefined> {
    const saved = await this.pending(ctx.message)
    return saved === undefined ? undefined : this.resume(ctx, saved)
  }

  /**
   * Reads `ctx.message` as the answer to the form saved as `saved`. A saved state that no
   * longer reads (not JSON, fails its schema, a kind no longer known) is deleted and logged,
   * and the message passes on with a notice: answering it with an apology would repeat until
   * the TTL ran out, 取消 included.
   */
  async resume(
    ctx: FormContext & { parse: CommandWordOf },
    saved: string,
  ): Promise<Reply[] | DiscardedConversation | InterruptedConversation | undefined> {
    const key = this.key(ctx)
    let state: FormState
    try {
      state = this.read(saved, key)
    } catch (err) {
      if (!(err instanceof UnreadableRecordError)) throw err
      ctx.log.warn(
        { userKey: ctx.actor.key, key: err.key, reason: err.reason },
        'saved form unreadable; discarded',
      )
      await this.deps.redis.del(key)
      return { discarded: { text: DRAFT_DISCARDED } }
    }
    if (lapsed(state, ctx.now)) {
      await this.deps.redis.del(key)
      return undefined
    }
    const answer = ctx.message.text.trim()
    if (state.stray) {
      // Kept for a repeat until it lapses; anything else is a new message, as with no form.
      const word = answer.replace(/[。.!！~～]+$/, '')
      if (state.stray.words.includes(word)) return [{ text: state.stray.reply }]
      // A command is never a stray answer (`撤销上一条` reads as goods: 一条), unless the form
      // claims it (`慰问金300元` begins with 慰问, an alias of 走访).
      const spec = this.specs.get(state.kind)
      const command = ctx.parse(word)
      if (spec && (command === undefined || spec.claimsAnswer?.(state.field, word) === true)) {
        const other = await spec.answerStray?.(word, state.stray, ctx)
        if (other !== undefined) return [{ text: other }]
      }
      await this.deps.redis.del(key)
      return undefined
    }
    const command = ctx.parse(answer)
    const declined = this.specs.get(state.kind)?.declines?.(state.field, answer) === true
    if (CANCEL_WORDS.has(answer.toLowerCase()) || command === CANCEL_COMMAND || declined) {
      await this.deps.redis.del(key)
      return [{ text: '已取消，未登记任何内容。' }]
    }
    const spec = this.spec(state.kind)
    if (command !== undefined && spec.claimsAnswer?.(state.field, answer) !== true)
      return this.interrupted(spec, state, saved, ctx, command)
    if (state.field.startsWith(HELD)) {
      const word = answer.toLowerCase().replace(/[。.!！~～]+$/, '')
      if (AGREEING_WORDS.has(word)) {
        // 好的 may mean "yes, store it" or "OK, never mind": a second payment is not stored
        // on a maybe. The hold stays; the question is put plainly.
        await this.save(key, state, ctx)
        return [{ text: '要再登记这一条请回复「确认」；不登记就不用回复。' }]
      }
      if (DECLINING_WORDS.has(word)) {
        await this.deps.redis.del(key)
        return [{ text: '好的，这次未登记。' }]
      }
      // Anything else is a new message (a question, a record): it is answered as one, and
      // the held write is closed with a word, as for a command.
      if (!CONFIRM_WORDS.has(word)) return this.interrupted(spec, state, saved, ctx, undefined)
      const flag = state.field.slice(HELD.length)
      const confirmed = Object.assign({}, state, {
        values: Object.assign({}, state.values, { [flag]: true }),
      })
      return this.advance(spec, confirmed, ctx, [], true)
    }
    let accepted: { values: FormValues; say?: string }
    try {
      accepted = await spec.accept(state.field, answer, state.values, ctx)
    } catch (err) {
      if (err instanceof UserFacingError) {
        await this.save(key, state, ctx)
        // A re-ask that already says how to leave is not told it twice.
        const leave = err.replyText.includes('「取消」') ? '' : '\n回复「取消」退出。'
        return [{ text: `${err.replyText}${leave}` }]
      }
      throw err
    }
    const next = Object.assign({}, state, { values: accepted.values })
    return this.advance(spec, next, ctx, accepted.say ? [accepted.say] : [], true)
  }

  /**
   * A command sent in the middle of a form runs as if there were none, and the form is not
   * lost without a word (issue 11): an open question stays open and the first short reply
   * after it ends with what it still needs (once per question, never under a tally); a form the
   * command replaced with a new one is said to be set aside, before the new question; one the
   * command replaced by storing a record of its kind at once is dropped, said once; a write held
   * for 「确认」 is closed, said once (its prompt said no reply was needed, so reminding would nag).
   */
  private async interrupted(
    spec: FormSpec,
    state: FormState,
    saved: string,
    ctx: FormContext,
    /** The command word the message starts with; undefined for a remark to a held write. */
    command: string | undefined,
  ): Promise<InterruptedConversation> {
    const key = this.key(ctx)
    const summary = () => this.summaryOf(spec, state, ctx)
    if (state.field.startsWith(HELD) || state.confirmOnly === true) {
      await this.deps.redis.del(key)
      return {
        settle: async (replies) => {
          const current = await this.deps.redis.get(key)
          // Before the reply only when the new command asks a question of its own; a record it
          // stored at once (which may leave a stray-answer state behind) reads first.
          const asking = current !== null && !isStrayState(current)
          return placeNote(replies, heldDroppedLine(await summary()), asking)
        },
      }
    }
    return {
      settle: async (replies) => {
        // Until the line is said, GETEX refreshes the TTL of whichever form is there, as an
        // answer would; once said, the form lapses 30 minutes after the user was last told.
        const current = state.reminded
          ? await this.deps.redis.get(key)
          : await this.deps.redis.getex(key, 'EX', FORM_TTL_SECONDS)
        if (current === null) return replies
        if (current !== saved) return placeNote(replies, setAsideLine(await summary()), true)
        if (this.completedAtOnce.get(ctx.message) === state.kind) {
          // The same record written out in one line: the half-filled one would only nag.
          await this.deps.redis.del(key)
          return placeNote(replies, droppedLine(await summary()), true)
        }
        if (state.reminded) return replies
        if (isLongReply(replies) && command !== HELP_COMMAND) {
          // Renewed as the GETEX renewed it, by the bot's clock too (savedAt).
          await this.save(key, state, ctx)
          return replies
        }
        await this.save(key, Object.assign({}, state, { reminded: true }), ctx)
        return placeNote(replies, stillOpenLine(await summary()), false)
      },
    }
  }

  private async summaryOf(
    spec: FormSpec,
    state: FormState,
    ctx: FormContext,
  ): Promise<FormSummary | undefined> {
    if (!spec.describe) return undefined
    try {
      return await spec.describe(state.values, state.field, ctx)
    } catch (err) {
      // The summary is a courtesy: the command's own reply must not fail for it.
      if (err instanceof UserFacingError) return undefined
      throw err
    }
  }

  private async advance(
    spec: FormSpec,
    state: FormState,
    ctx: FormContext,
    lines: string[],
    /** False for a form that completes in the message that started it: nothing to remove. */
    stored: boolean,
  ): Promise<Reply[]> {
    const key = this.key(ctx)
    const question = await spec.nextQuestion(state.values, ctx)
    if (question) {
      // A draft that does not match its own schema is a bug here, not a user's mistake.
      const values = spec.draft.parse(state.values)
      const saved: FormState = Object.assign({}, state, {
        values,
        field: question.field,
        version: spec.version,
      })
      if (question.confirmOnly) saved.confirmOnly = true
      else delete saved.confirmOnly
      // A new question is reminded of afresh.
      delete saved.reminded
      await this.save(key, saved, ctx)
      return [{ text: [...lines, question.prompt].join('') }]
    }
    // The state goes only once the record is stored (or refused): if Redis fails mid-way,
    // the platform redelivers this message and it must still find the form.
    let done: Reply | Reply[]
    try {
      done = await spec.complete(state.values, messageKey(ctx.message), ctx)
    } catch (err) {
      if (err instanceof ConfirmationNeeded) {
        const held: FormState = Object.assign({}, state, {
          field: `${HELD}${err.flag}`,
          version: spec.version,
        })
        delete held.confirmOnly
        delete held.reminded
        await this.save(key, held, ctx)
        return [{ text: [...lines, err.prompt].join('') }]
      }
      if (stored && err instanceof UserFacingError) await this.deps.redis.del(key)
      throw err
    }
    const replies = Array.isArray(done) ? done : [done]
    const stray = spec.strayAnswer?.(state.values, replies)
    if (stray) {
      // Replaces this form's own state; a form started at once never overwrites another one.
      const after = JSON.stringify(
        Object.assign({}, state, {
          field: '',
          version: spec.version,
          stray,
          savedAt: ctx.now.getTime(),
        }),
      )
      if (stored) await this.deps.redis.set(key, after, 'EX', STRAY_TTL_SECONDS)
      else await this.deps.redis.set(key, after, 'EX', STRAY_TTL_SECONDS, 'NX')
    } else if (stored) await this.deps.redis.del(key)
    if (!stored) this.completedAtOnce.set(ctx.message, spec.kind)
    if (lines.length === 0 || replies.length === 0) return replies
    const [first, ...rest] = replies
    return [Object.assign({}, first!, { text: `${lines.join('')}${first!.text}` }), ...rest]
  }

  /** Saves `state` for FORM_TTL_SECONDS, by Redis's TTL and the bot's clock (savedAt). */
  private async save(key: string, state: FormState, ctx: FormContext): Promise<void> {
    const saved = Object.assign({}, state, { savedAt: ctx.now.getTime() })
    await this.deps.redis.set(key, JSON.stringify(saved), 'EX', FORM_TTL_SECONDS)
  }

  private read(saved: string, key: string): FormState {
    const state = readStored(formStateSchema, saved, key)
    const spec = this.specs.get(state.kind)
    if (!spec) throw new UnreadableRecordError(key, undefined, `unknown form kind ${state.kind}`)
    if (state.version !== spec.version) {
      throw new UnreadableRecordError(
        key,
        undefined,
        `${state.kind} draft of version ${state.version ?? 'none'}, not ${spec.version}`,
      )
    }
    const values = spec.draft.safeParse(state.values)
    if (!values.success) {
      // Paths only: a zod message may quote the value, and drafts hold people's details.
      const paths = values.error.issues.map((i) => i.path.join('.')).join(', ')
      throw new UnreadableRecordError(key, undefined, `${state.kind} draft invalid at ${paths}`)
    }
    return Object.assign({}, state, { values: values.data })
  }

  private spec(kind: string): FormSpec {
    const spec = this.specs.get(kind)
    if (!spec) throw new Error(`unknown form kind ${kind}`)
    return spec
  }

  private key(ctx: Pick<FormContext, 'message'>): string {
    const { platform, chat, sender } = ctx.message
    return this.deps.keys.form(platform, chat.chatId, sender.userId)
  }
}

/** Whether `state` was saved over FORM_TTL_SECONDS before `now`; one without savedAt never. */
/** Whether a saved state is only a stored form's stray-answer state, asking nothing. */
function isStrayState(saved: string): boolean {
  try {
    const state = formStateSchema.safeParse(JSON.parse(saved))
    return state.success && state.data.stray !== undefined
  } catch {
    return false
  }
}

function lapsed(state: FormState, now: Date): boolean {
  // A stored form's stray-answer state keeps for STRAY_TTL_SECONDS, an open one for the form's.
  const ttl = state.stray ? STRAY_TTL_SECONDS : FORM_TTL_SECONDS
  return state.savedAt !== undefined && now.getTime() - state.savedAt > ttl * 1000
}

/** The command word a text starts with (`帮助`, `走访`, `取消`), or undefined for an answer. */
export type CommandWordOf = (text: string) => string | undefined

/**
 * The draft a command starts a form with. The command built it from what the user wrote, so
 * a value its kind refuses (a name of 200 characters) is the user's to fix, not a bug.
 */
function startingDraft<D extends FormValues>(spec: FormSpec<D>, values: FormValues): D {
  const parsed = spec.draft.safeParse(values)
  if (parsed.success) return parsed.data
  throw new UserFacingError(
    '这条内容有一项太长或含无法登记的字符，未登记。请缩短或改写后重发，如「走访 张三 今天 日常」。',
  )
}
