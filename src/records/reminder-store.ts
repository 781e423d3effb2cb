import { z } from 'zod'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import { runScript } from './scripts.js'

/** The longest reminder text kept; a reminder is a note, not a document. */
export const REMINDER_TEXT_MAX = 500

/** How long the message id of a `提醒` stays an idempotency key (ioredis resends in flight). */
const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600

const chatSchema = z.object({
  platform: z.enum(['wecom', 'dingtalk', 'sandbox']),
  chatId: z.string().min(1),
  isGroup: z.boolean(),
})

export const reminderScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once') }),
  z.object({
    kind: z.literal('weekly'),
    /** 0 = Sunday … 6 = Saturday. */
    weekday: z.number().int().min(0).max(6),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59),
    /** The IANA zone the wall-clock time is in (BOT_TIMEZONE when it was set). */
    timezone: z.string().min(1),
  }),
  z.object({
    kind: z.literal('daily'),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59),
    /** The IANA zone the wall-clock time is in (BOT_TIMEZONE when it was set). */
    timezone: z.string().min(1),
  }),
])
export type ReminderSchedule = z.infer<typeof reminderScheduleSchema>

export const reminderSchema = z.object({
  /** The reminder number users see and type (`取消提醒 12`). */
  id: z.number().int().positive(),
  /** `platform:userId` of who set it. */
  owner: z.string().min(1),
  /** Where it is delivered: the chat it was set in (a group reminder goes to the group). */
  chat: chatSchema,
  text: z.string().min(1).max(REMINDER_TEXT_MAX),
  schedule: reminderScheduleSchema,
  /** The pending occurrence, 1 for the first; a weekly or daily one counts up as it fires. */
  occurrence: z.number().int().positive(),
  /** When the pending occurrence fires (ISO instant). */
  at: z.iso.datetime(),
  status: z.enum(['pending', 'done', 'cancelled']),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime().optional(),
  /** `platform:userId` of who cancelled it (the owner or an admin). */
  cancelledBy: z.string().optional(),
})
export type Reminder = z.infer<typeof reminderSchema>

export type NewReminder = Omit<Reminder, 'id' | 'occurrence' | 'status' | 'updatedAt'>

/**
 * Creates a reminder once per idempotency key: the id comes from the reminder counter, and the
 * record and both pending indexes are written in the same step.
 *
 * KEYS[1] reminder counter (STRING)   KEYS[2] reminders (HASH id → JSON)
 * KEYS[3] owner's pending ids (SET)   KEYS[4] all pending ids (SET)
 * KEYS[5] idempotency marker (STRING id, with a TTL)
 * ARGV[1] the reminder JSON without its id, starting with '{'   ARGV[2] marker TTL, s
 * Returns {1, id, json} created | {0, id, json or false} the key was seen before.
 */
const CREATE_REMINDER = `
local seen = redis.call('GET', KEYS[5])
if seen then return {0, tonumber(seen), redis.call('HGET', KEYS[2], seen)} end
local id = redis.call('INCR', KEYS[1])
local json = '{"id":' .. id .. ',' .. string.sub(ARGV[1], 2)
redis.call('HSET', KEYS[2], id, json)
redis.call('SADD', KEYS[3], id)
redis.call('SADD', KEYS[4], id)
redis.call('SET', KEYS[5], id, 'EX', ARGV[2])
return {1, id, json}
`

/**
 * Replaces a reminder only if it is still exactly what the caller read (compare-and-set), and
 * drops it from the pending indexes when it stops being pending.
 *
 * KEYS[1] reminders (HASH)   KEYS[2] owner's pending ids (SET)   KEYS[3] all pending ids (SET)
 * ARGV[1] id   ARGV[2] JSON read   ARGV[3] JSON to write   ARGV[4] '1' = no longer pending
 * Returns 1 written | 0 the reminder changed since it was read (nothing written).
 */
const REPLACE_REMINDER = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
if ARGV[4] == '1' then
  redis.call('SREM', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
end
return 1
`

/** Rereads and retries a compare-and-set this many times when others write in between. */
const CAS_ATTEMPTS = 5

export type CancelOutcome =
  | { outcome: 'cancelled'; reminder: Reminder }
  | { outcome: 'not-pending'; reminder: Reminder }
  | { outcome: 'not-found' }

/**
 * Custom reminders (`提醒`): the only code that knows their Redis shapes. The store is the
 * source of truth; BullMQ jobs carry only the id and occurrence and reload from here.
 */
export class ReminderStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /**
   * Stores a new pending reminder, numbered from the reminder counter. The same
   * `idempotencyKey` (the platform message id) returns the reminder it made the first time.
   */
  async create(
    input: NewReminder,
    idempotencyKey: string,
  ): Promise<{ reminder: Reminder; created: boolean }> {
    const { id: _id, ...rest } = reminderSchema.parse(
      Object.assign({}, input, {
        id: 1,
        occurrence: 1,
        status: 'pending',
      }),
    )
    const result = (await runScript(
      this.redis,
      CREATE_REMINDER,
      [
        this.keys.reminderSeq(),
        this.keys.reminders(),
        this.keys.remindersOf(input.owner),
        this.keys.pendingReminders(),
        this.keys.reminderIdempotency(idempotencyKey),
      ],
      [JSON.stringify(rest), IDEMPOTENCY_TTL_SECONDS],
    )) as [number, number, string | null]
    const [created, id, json] = result
    if (json === null) throw new Error(`reminder #${id} of idempotency key is missing`)
    return { reminder: parseReminder(json), created: created === 1 }
  }

  /** The reminder numbered `id`, in any status; undefined when there is none. */
  async get(id: number): Promise<Reminder | undefined> {
    const raw = await this.redis.hget(this.keys.reminders(), String(id))
    return raw === null ? undefined : parseReminder(raw)
  }

  /** `owner`'s pending reminders, soonest first. */
  async pendingOf(owner: string): Promise<Reminder[]> {
    return this.load(await this.redis.smembers(this.keys.remindersOf(owner)))
  }

  /** Every pending reminder, soonest first (start-up reconciliation of their jobs). */
  async allPending(): Promise<Reminder[]> {
    return this.load(await this.redis.smembers(this.keys.pendingReminders()))
  }

  /** Cancels a pending reminder. Whether `by` may cancel it is the caller's decision. */
  async cancel(id: number, by: string, now: Date): Promise<CancelOutcome> {
    const result = await this.transition(id, (r) =>
      r.status === 'pending'
        ? Object.assign({}, r, {
            status: 'cancelled',
            cancelledBy: by,
            updatedAt: now.toISOString(),
          })
        : undefined,
    )
    if (result === undefined) return { outcome: 'not-found' }
    return result.changed
      ? { outcome: 'cancelled', reminder: result.reminder }
      : { outcome: 'not-pending', reminder: result.reminder }
  }

  /** Marks occurrence `occurrence` of a one-off reminder delivered. False when it is not pending at that occurrence. */
  async complete(id: number, occurrence: number, now: Date): Promise<boolean> {
    const result = await this.transition(id, (r) =>
      r.status === 'pending' && r.occurrence === occurrence
        ? Object.assign({}, r, { status: 'done', updatedAt: now.toISOString() })
        : undefined,
    )
    return result?.changed ?? false
  }

  /**
   * Moves a weekly or daily reminder from `occurrence` to the next one, firing at `nextAt`. False when
   * it is no longer pending at `occurrence` (cancelled, or already advanced by an earlier run).
   */
  async advance(id: number, occurrence: number, nextAt: Date, now: Date): Promise<boolean> {
    const result = await this.transition(id, (r) =>
      r.status === 'pending' && r.occurrence === occurrence
        ? Object.assign({}, r, {
            occurrence: occurrence + 1,
            at: nextAt.toISOString(),
            updatedAt: now.toISOString(),
          })
        : undefined,
    )
    return result?.changed ?? false
  }

  private async transition(
    id: number,
    change: (current: Reminder) => Reminder | undefined,
  ): Promise<{ reminder: Reminder; changed: boolean } | undefined> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const raw = await this.redis.hget(this.keys.reminders(), String(id))
      if (raw === null) return undefined
      const current = parseReminder(raw)
      const next = change(current)
      if (next === undefined) return { reminder: current, changed: false }
      const written = await runScript(
        this.redis,
        REPLACE_REMINDER,
        [this.keys.reminders(), this.keys.remindersOf(current.owner), this.keys.pendingReminders()],
        [
          String(id),
          raw,
          JSON.stringify(reminderSchema.parse(next)),
          next.status === 'pending' ? '0' : '1',
        ],
      )
      if (written === 1) return { reminder: next, changed: true }
    }
    throw new Error(`reminder #${id} kept changing during ${CAS_ATTEMPTS} attempts to update it`)
  }

  private async load(ids: string[]): Promise<Reminder[]> {
    if (ids.length === 0) return []
    const raws = await this.redis.hmget(this.keys.reminders(), ...ids)
    return raws
      .filter((raw): raw is string => raw !== null)
      .map(parseReminder)
      .filter((r) => r.status === 'pending')
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id))
  }
}

function parseReminder(raw: string): Reminder {
  return reminderSchema.parse(JSON.parse(raw))
}
