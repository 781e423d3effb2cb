import { UserFacingError } from '../errors.js'
import { seasonYear } from '../occasions.js'
import { activityDayField } from './activity-title.js'
import { DuplicateRecordError } from './duplicate-error.js'
import type { Pii } from './pii.js'
import { directReads, type StoreReads } from './reads.js'
import { effectsOf } from './record-effects.js'
import {
  RecordWriter,
  type RecordDeps,
  type WriteOutcome,
  type WriteRequest,
} from './record-writer.js'
import {
  activityChangesSchema,
  paymentChangesSchema,
  unitNameSchema,
  visitChangesSchema,
  withdrawReasonSchema,
  type Activity,
  type AnyRecord,
  type RecordChanges,
  type RecordKind,
  type Removal,
  type Person,
  type Visit,
  type WriteMeta,
} from './schemas.js'
import {
  encodeRecord,
  parseStored,
  secretsOf,
  toRecord,
  type PersonSecrets,
  type StoredRecord,
} from './stored-record.js'
import { TallyFields } from './tally-fields.js'
import { WritePlan } from './write-plan.js'

/** Collaborators of every record store: Redis, the key layout and the PII cipher. */
export interface RecordStoreDeps extends RecordDeps {
  pii: Pii
}

/** Result of an add: `created` is false when the idempotency key was seen before. */
export interface WriteResult<T> {
  record: T
  created: boolean
}

/** Result of a withdrawal or correction: `changed` is false for a no-op or a repeat. */
export interface ChangeResult<T> {
  record: T
  changed: boolean
}

/** Records read per HMGET when walking an index. */
export const PAGE_SIZE = 200

type RecordOfKind<K extends RecordKind> = Extract<AnyRecord, { kind: K }>

/** A stored record with its raw JSON (for compare-and-set) and a person's secrets. */
export interface LoadedRecord {
  raw: string
  stored: StoredRecord
  record: AnyRecord
  secrets: PersonSecrets
}

/**
 * A person as a look-up read them, with the stored JSON they were decoded from: passed by the
 * command that looked them up to the visit or payment it writes, which guards on that JSON
 * (compare-and-set) instead of reading the person again. A stale snapshot fails the guard and
 * the write's retry reads afresh.
 */
export interface PersonSnapshot {
  person: Person
  raw: string
  /** What `raw` decoded to, when the reader has it: the write need not parse `raw` again. */
  decoded?: Pick<LoadedRecord, 'stored' | 'secrets'>
}

/** `snapshot` as a LoadedRecord when it is of person `id`, else undefined (read the person). */
export function loadedFromSnapshot(
  id: number,
  snapshot: PersonSnapshot | undefined,
): LoadedRecord | undefined {
  if (snapshot?.person.id !== id) return undefined
  if (snapshot.decoded) return { raw: snapshot.raw, record: snapshot.person, ...snapshot.decoded }
  const stored = parseStored(snapshot.raw)
  return {
    raw: snapshot.raw,
    stored,
    record: snapshot.person,
    secrets: stored.k === 'p' ? secretsOf(stored) : {},
  }
}

/** How loadIndexed reads: through a message's first round trip, and with contact or not. */
export interface IndexedReadOptions {
  reads?: StoreReads
  /** Open and mask a person's phone and ID number (default); false leaves them out. */
  withContact?: boolean
}

/**
 * Any record by its number (`#123`), whatever its kind, plus the two changes every kind
 * supports: withdrawal (撤销) and correction (修改). Kind-specific writes are in the
 * people, visit, allowance and activity stores.
 */
export class RecordStore {
  private readonly writer: RecordWriter

  constructor(private readonly deps: RecordStoreDeps) {
    this.writer = new RecordWriter(deps)
  }

  /** The record `#id` (withdrawn ones too), or undefined when there is none. */
  async getRecord(id: number): Promise<AnyRecord | undefined> {
    return (await this.load(id))?.record
  }

  /** The records of `ids` that exist, in the order given; read in pages. */
  async getRecords(ids: readonly number[]): Promise<AnyRecord[]> {
    const out: AnyRecord[] = []
    for (let i = 0; i < ids.length; i += PAGE_SIZE) {
      const page = ids.slice(i, i + PAGE_SIZE)
      if (page.length === 0) continue
      const raws = await this.deps.redis.hmget(this.deps.keys.records(), ...page.map(String))
      raws.forEach((raw, j) => {
        if (raw !== null) out.push(this.decode(page[j]!, raw))
      })
    }
    return out
  }

  /** The records the index SET `indexKey` names, by record number; one round trip. */
  async getIndexed(indexKey: string): Promise<AnyRecord[]> {
    return (await this.loadIndexed(indexKey)).map((l) => l.record)
  }

  /**
   * Like getIndexed, with each record's stored JSON (for a person's PersonSnapshot); read
   * through `reads` when given (a message's first round trip). `withContact: false` leaves a
   * person's phone and ID number sealed, for a look-up that never shows them.
   */
  async loadIndexed(indexKey: string, options: IndexedReadOptions = {}): Promise<LoadedRecord[]> {
    const { redis, keys } = this.deps
    const flat = await (options.reads ?? directReads(redis)).indexed(indexKey, keys.records())
    const withContact = options.withContact ?? true
    const out: LoadedRecord[] = []
    for (let i = 0; i < flat.length; i += 2) {
      out.push(this.loaded(Number(flat[i]), flat[i + 1]!, withContact))
    }
    return out.sort((a, b) => a.record.id - b.record.id)
  }

  /** The record `#id` if it is of `kind`, else undefined. */
  async getOfKind<K extends RecordKind>(id: number, kind: K): Promise<RecordOfKind<K> | undefined> {
    const record = await this.getRecord(id)
    return record?.kind === kind ? (record as RecordOfKind<K>) : undefined
  }

  /** The stored form of `#id` with its decoded record; undefined when absent. */
  async load(id: number): Promise<LoadedRecord | undefined> {
    const raw = await this.deps.redis.hget(this.deps.keys.records(), String(id))
    return raw === null ? undefined : this.loaded(id, raw)
  }

  /** Parses and decodes one stored value; throws a ZodError when it does not match the schema. */
  decode(id: number, raw: string): AnyRecord {
    return this.loaded(id, raw).record
  }

  private loaded(id: number, raw: string, withContact = true): LoadedRecord {
    const stored = parseStored(raw)
    return {
      raw,
      stored,
      // Opening a phone and an ID number (AES-GCM) was most of decoding a person: 14 µs of 20.
      record: toRecord(id, stored, withContact ? this.deps.pii : undefined),
      secrets: stored.k === 'p' ? secretsOf(stored) : {},
    }
  }

  /**
   * The records listed in the LIST `listKey`, oldest first, read `PAGE_SIZE` at a time.
   * Withdrawn records are skipped unless `includeWithdrawn`.
   */
  async *walkList<K extends RecordKind>(
    listKey: string,
    kind: K,
    includeWithdrawn = false,
  ): AsyncGenerator<RecordOfKind<K>> {
    for (let start = 0; ; start += PAGE_SIZE) {
      const ids = await this.deps.redis.lrange(listKey, start, start + PAGE_SIZE - 1)
      if (ids.length === 0) return
      for (const record of await this.getRecords(ids.map(Number))) {
        if (record.kind !== kind) continue
        if (!includeWithdrawn && record.status === 'withdrawn') continue
        yield record as RecordOfKind<K>
      }
      if (ids.length < PAGE_SIZE) return
    }
  }

  /**
   * Withdraws `#id` (撤销): it stays readable, marked withdrawn, and leaves every tally; the
   * audit entry names `meta.actor`. Withdrawing a withdrawn record changes nothing.
   * Throws UserFacingError when there is no such record, a ZodError for a `reason` that is not
   * one line of at most WITHDRAW_REASON_MAX characters. For a person, see also removePerson:
   * `removal` (why they left the roster) is stored on a person only; `reason` (why another
   * record was withdrawn, `撤销 #13 原因 重复登记`) on the others, so both are in the audit entry.
   */
  async withdraw(
    id: number,
    meta: WriteMeta,
    removal?: Removal,
    reason?: string,
  ): Promise<ChangeResult<AnyRecord>> {
    const withdrawReason = reason === undefined ? undefined : withdrawReasonSchema.parse(reason)
    let current: AnyRecord | undefined
    const outcome = await this.writer.write(meta, async () => {
      const loaded = await this.load(id)
      if (!loaded) throw new UserFacingError(`没有找到记录 #${id}。`)
      current = loaded.record
      if (loaded.record.status === 'withdrawn') return undefined
      const after: AnyRecord = Object.assign({}, loaded.record, {
        status: 'withdrawn',
        withdrawnBy: meta.actor,
        withdrawnAt: meta.at.toISOString(),
        ...(removal && loaded.record.kind === 'person' && { removal }),
        ...(withdrawReason !== undefined && loaded.record.kind !== 'person' && { withdrawReason }),
      })
      return this.changeRequest(id, loaded, after, `${loaded.record.kind}.withdraw`)
    })
    return this.changeResult(id, outcome, current)
  }

  /**
   * Corrects `#id` (修改): amounts, dates, goods and text of a visit, payment or activity, and
   * a visit's occasion and person; counters move from the old effects to the new. `null`
   * clears an optional field. A visit's campaign year follows the season rule when its date or
   * occasion changes, and its village and category follow a new person, who must be active and
   * in `options.villages` (a cadre's scope). Throws UserFacingError for a missing or withdrawn
   * record, a change its kind does not allow or a person out of reach; DuplicateRecordError
   * when the corrected visit would repeat another (same person, day and occasion).
   */
  async correct(
    id: number,
    changes: RecordChanges,
    meta: WriteMeta,
    options: { villages?: readonly string[] } = {},
  ): Promise<ChangeResult<AnyRecord>> {
    let current: AnyRecord | undefined
    const outcome = await this.writer.write(meta, async () => {
      const loaded = await this.load(id)
      if (!loaded) throw new UserFacingError(`没有找到记录 #${id}。`)
      current = loaded.record
      if (loaded.record.status === 'withdrawn') {
        throw new UserFacingError(`#${id} 已撤销，不能修改。`)
      }
      const after = applyChanges(loaded.record, changes)
      requireSameYear(after)
      const person =
        loaded.record.kind === 'visit' && after.kind === 'visit'
          ? await this.refileVisit(loaded.record, after, options.villages)
          : undefined
      if (encodeRecord(after) === encodeRecord(loaded.record)) return undefined
      const request = this.changeRequest(id, loaded, after, `${loaded.record.kind}.correct`)
      if (loaded.record.kind === 'visit' && after.kind === 'visit') {
        await this.guardRefiledVisit(request.plan, loaded.record, after, person)
      }
      if (loaded.record.kind === 'activity' && after.kind === 'activity') {
        this.guardMovedActivity(request.plan, loaded.record, after)
      }
      return request
    })
    return this.changeResult(id, outcome, current)
  }

  /**
   * Completes a corrected visit in place: the new person's village and category, and the
   * campaign year by the season rule. Returns the new person as read, for the write's guard.
   */
  private async refileVisit(
    before: Visit,
    after: Visit,
    villages: readonly string[] | undefined,
  ): Promise<LoadedRecord | undefined> {
    let person: LoadedRecord | undefined
    if (after.personId !== before.personId) {
      if (before.personId === undefined) {
        throw new UserFacingError(
          `#${before.id} 是对单位的走访，不能改成对个人的；请撤销后重新登记。`,
        )
      }
      person = await this.load(after.personId!)
      const p = person?.record
      if (p?.kind !== 'person') throw new UserFacingError(`没有找到对象 #${after.personId}。`)
      if (p.status === 'withdrawn') {
        throw new UserFacingError(`对象 #${p.id} ${p.name} 已移除，不能改为走访对象。`)
      }
      if (villages && !villages.includes(p.village)) {
        throw new UserFacingError(`${p.name}在${p.village}，不在您负责的村，#${before.id} 未修改。`)
      }
      after.village = p.village
      after.category = p.category
    }
    if (after.date !== before.date || after.occasion !== before.occasion) {
      after.campaignYear = seasonYear(after.occasion, after.date)
    }
    return person
  }

  /**
   * Guards and indexes of a visit moved to another person, day or campaign: the person as
   * read, no other active visit of theirs that day and occasion, and the new campaign's list.
   */
  private async guardRefiledVisit(
    plan: WritePlan,
    before: Visit,
    after: Visit,
    person: LoadedRecord | undefined,
  ): Promise<void> {
    const { redis, keys } = this.deps
    if (person) plan.requireUnchanged(keys.records(), String(person.record.id), person.raw, 'retry')
    const afterDay = visitDayField(after)
    const moved =
      after.campaignYear !== before.campaignYear ||
      after.occasion !== before.occasion ||
      afterDay !== visitDayField(before)
    if (afterDay !== undefined && moved) {
      plan.requireField(
        keys.campaignVisitDays(after.campaignYear, after.occasion),
        afterDay,
        false,
        () => this.repeatedVisit(after),
      )
    }
    if (after.campaignYear === before.campaignYear && after.occasion === before.occasion) return
    const list = keys.campaignVisits(after.campaignYear, after.occasion)
    // Lists only grow: a visit moved back to a campaign it left is listed there already. The
    // record's compare-and-set serialises writes to it, so this read cannot race another move.
    if ((await redis.lpos(list, String(after.id))) === null) plan.rpush(list, String(after.id))
    plan.sadd(keys.periods(), TallyFields.period.campaign(after.campaignYear, after.occasion))
  }

  /** The active visit that `visit`, as corrected, would repeat. */
  private async repeatedVisit(visit: Visit): Promise<Error> {
    const list = this.deps.keys.campaignVisits(visit.campaignYear, visit.occasion)
    for await (const earlier of this.walkList(list, 'visit')) {
      if (
        earlier.id !== visit.id &&
        earlier.personId === visit.personId &&
        (visit.personId !== undefined || earlier.unitName === visit.unitName) &&
        earlier.date === visit.date &&
        earlier.campaignYear === visit.campaignYear &&
        earlier.occasion === visit.occasion
      ) {
        return new DuplicateRecordError(earlier)
      }
    }
    return new UserFacingError('刚才有人同时改动了这条走访，请稍后再发一次。')
  }

  /**
   * An activity moved by 修改 onto a day (or, by its 备注, to a unit) that already has the same
   * one is refused, as a visit is: the same guard as ActivityStore.addActivity's.
   */
  private guardMovedActivity(plan: WritePlan, before: Activity, after: Activity): void {
    const field = activityDayField(after)
    if (field === activityDayField(before)) return
    plan.requireField(this.deps.keys.activityTally(after.year), field, false, () =>
      this.repeatedActivity(after),
    )
  }

  /** The active activity that `activity`, as corrected, would repeat. */
  private async repeatedActivity(activity: Activity): Promise<Error> {
    const list = this.deps.keys.yearActivities(activity.year)
    const field = activityDayField(activity)
    for await (const earlier of this.walkList(list, 'activity')) {
      if (earlier.id !== activity.id && activityDayField(earlier) === field) {
        return new DuplicateRecordError(earlier)
      }
    }
    return new UserFacingError('刚才有人同时改动了这个活动，请稍后再发一次。')
  }

  /** The record a write under `meta`'s idempotency key made or changed, if there was one. */
  async writtenUnder(meta: WriteMeta): Promise<AnyRecord | undefined> {
    const earlier = await this.writer.seen(meta)
    return earlier?.stored === undefined ? undefined : this.decode(earlier.id, earlier.stored)
  }

  /** The ids in `author`'s capped index (keys.recordsBy), oldest first: what 我的记录 lists. */
  async idsLoggedBy(author: string): Promise<number[]> {
    return (await this.deps.redis.lrange(this.deps.keys.recordsBy(author), 0, -1)).map(Number)
  }

  /**
   * The newest of the active records `author` created, from their capped index
   * (keys.recordsBy); undefined when none is left there.
   */
  async lastActiveBy(author: string): Promise<AnyRecord | undefined> {
    const ids = await this.deps.redis.lrange(this.deps.keys.recordsBy(author), 0, -1)
    const records = await this.getRecords(ids.map(Number).reverse())
    return records.find((r) => r.status === 'active' && r.createdBy === author)
  }

  /**
   * A compare-and-set write of `after` over `loaded`, moving indexes and counters by the
   * difference of their effects. `secrets` replaces a person's sealed phone and ID number.
   */
  changeRequest(
    id: number,
    loaded: LoadedRecord,
    after: AnyRecord,
    action: string,
    secrets = loaded.secrets,
  ): WriteRequest {
    const { keys } = this.deps
    const plan = new WritePlan(id).applyEffects(
      effectsOf(keys, loaded.record, String(id), loaded.secrets),
      effectsOf(keys, after, String(id), secrets),
      this.ownerTaken,
    )
    plan.cas = true
    return { plan, action, before: loaded.raw, after: encodeRecord(after, secrets) }
  }

  /** The error for a unique index field (an ID number's MAC) already held by another record. */
  readonly ownerTaken = (effect: { key: string; field: string }) => async (): Promise<Error> => {
    const owner = await this.deps.redis.hget(effect.key, effect.field)
    if (effect.key !== this.deps.keys.peopleByIdNumber()) {
      return new Error(`unique index ${effect.key} already holds the value (#${owner})`)
    }
    return new UserFacingError(`该身份证号已登记在对象 #${owner} 名下，请先查询该对象。`)
  }

  private changeResult(
    id: number,
    outcome: WriteOutcome | undefined,
    current: AnyRecord | undefined,
  ): ChangeResult<AnyRecord> {
    if (!outcome) return { record: current!, changed: false }
    if (outcome.stored === undefined || outcome.id !== id) {
      throw new Error(`idempotency key already used for another write (#${outcome.id})`)
    }
    return { record: this.decode(id, outcome.stored), changed: outcome.status === 'applied' }
  }
}

/** `base` with `changes` applied: undefined keeps a field, null deletes it, a value replaces it. */
export function withoutNulls<T extends object>(base: T, changes: object): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) }
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) continue
    if (v === null) delete out[k]
    else out[k] = v
  }
  return out as T
}

/**
 * A payment or activity counts in the year it was added for (its date's, or for a payment
 * paid late the year before: allowance-year.ts); a new date is refused where that year could
 * no longer be, since moving it to another year's figures, list and (for a payment) standard
 * and duplicate check is more than a correction redoes: withdraw and add again.
 */
function requireSameYear(after: AnyRecord): void {
  if (after.kind !== 'payment' && after.kind !== 'activity') return
  const year = Number(after.date.slice(0, 4))
  if (year === after.year || (after.kind === 'payment' && year === after.year + 1)) return
  throw new UserFacingError(
    `#${after.id} 计在 ${after.year} 年，改成 ${after.date} 会换到 ${year} 年，未修改。请撤销后重新登记。`,
  )
}

function applyChanges(record: AnyRecord, changes: RecordChanges): AnyRecord {
  switch (record.kind) {
    case 'visit':
      return withoutNulls(record, visitChanges(record, changes))
    case 'payment':
      return withoutNulls(record, paymentChangesSchema.parse(changes))
    case 'activity':
      return withoutNulls(record, activityChangesSchema.parse(changes))
    case 'person':
      throw new Error('people are changed with PeopleStore.updatePerson, not correct()')
  }
}

/**
 * A visit's changes: its schema's, and for a visit to a unit its unitName (the unit renamed,
 * `修改 #N 部队 …`). A visit to a person does not become one to a unit, nor the reverse.
 */
function visitChanges(record: Visit, changes: RecordChanges): object {
  if (!('unitName' in changes) || changes.unitName === undefined) {
    return visitChangesSchema.parse(changes)
  }
  const { unitName, ...rest } = changes
  if (record.unitName === undefined) {
    throw new UserFacingError(`#${record.id} 是对个人的走访，不能改成对单位的；请撤销后重新登记。`)
  }
  return Object.assign(visitChangesSchema.parse(rest), { unitName: unitNameSchema.parse(unitName) })
}

/** The same-day guard field of `visit` in its campaign's visit days: person's or unit's. */
function visitDayField(visit: Visit): string | undefined {
  if (visit.personId !== undefined) return TallyFields.visitDay(visit.personId, visit.date)
  if (visit.unitName !== undefined) return TallyFields.unitVisitDay(visit.unitName, visit.date)
  return undefined
}

/**
 * The typed result of an add: the new record, or the earlier one for a repeated key.
 * `written` is the record as the write built it (id 0): an applied write returns it with its
 * number rather than decoding the JSON it was just encoded to. Throws when the key was used
 * before for a different kind of write.
 */
export function addResult<K extends RecordKind>(
  store: RecordStore,
  outcome: WriteOutcome | undefined,
  kind: K,
  written?: RecordOfKind<K>,
): WriteResult<RecordOfKind<K>> {
  if (outcome?.status === 'applied' && written) {
    return { record: Object.assign({}, written, { id: outcome.id }), created: true }
  }
  if (!outcome || outcome.stored === undefined) {
    throw new Error(`idempotency key already used for a write that is not a ${kind}`)
  }
  const record = store.decode(outcome.id, outcome.stored)
  if (record.kind !== kind) {
    throw new Error(`idempotency key already used for ${record.kind} #${record.id}, not a ${kind}`)
  }
  return { record: record as RecordOfKind<K>, created: outcome.status === 'applied' }
}
