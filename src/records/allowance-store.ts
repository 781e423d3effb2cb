import { UserFacingError } from '../errors.js'
import { DuplicateRecordError } from './duplicate-error.js'
import type { LocalDate } from '../time/local-date.js'
import type { StoreReads } from './reads.js'
import { effectsOf } from './record-effects.js'
import {
  RecordStore,
  addResult,
  loadedFromSnapshot,
  type PersonSnapshot,
  type RecordStoreDeps,
  type WriteResult,
} from './record-store.js'
import { RecordWriter } from './record-writer.js'
import {
  CONSCRIPT_FAMILY,
  HOUSEHOLD_TYPES,
  allowanceStandardSchema,
  localDateSchema,
  paymentInputSchema,
  standardFenFor,
  yearSchema,
  type AllowancePayment,
  type AllowanceStandard,
  type HouseholdType,
  type PaymentInput,
  type WriteMeta,
} from './schemas.js'
import { encodeAdded } from './stored-record.js'
import { TallyFields } from './tally-fields.js'
import { WritePlan } from './write-plan.js'
import { untypedFamily } from './person-fields.js'

const standardField = TallyFields.allowanceConfig.standard
const deadlineField = TallyFields.allowanceConfig.deadline

/**
 * The conscript-family allowance (义务兵家庭优待金): each year's standard and deadline
 * (configuration, audited like records) and the payments, one record per payment.
 */
export class AllowanceStore {
  private readonly writer: RecordWriter
  private readonly records: RecordStore

  constructor(private readonly deps: RecordStoreDeps) {
    this.writer = new RecordWriter(deps)
    this.records = new RecordStore(deps)
  }

  /** Sets `year`'s standard (split rural/urban or unified, in fen). Audited; idempotent. */
  async setAllowanceStandard(
    year: number,
    standard: AllowanceStandard,
    meta: WriteMeta,
  ): Promise<AllowanceStandard> {
    const value = allowanceStandardSchema.parse(standard)
    await this.setConfig(
      yearSchema.parse(year),
      standardField(year),
      JSON.stringify(value),
      'allowance.standard',
      meta,
    )
    return value
  }

  /** `year`'s standard, or undefined when none was set. */
  async getAllowanceStandard(
    year: number,
    reads?: StoreReads,
  ): Promise<AllowanceStandard | undefined> {
    const { redis, keys } = this.deps
    const raw = await (reads ?? redis).hget(keys.allowanceConfig(), standardField(year))
    return raw === null ? undefined : allowanceStandardSchema.parse(JSON.parse(raw))
  }

  /** Sets the date by which `year`'s allowance must reach every family (before 八一). */
  async setAllowanceDeadline(year: number, date: LocalDate, meta: WriteMeta): Promise<LocalDate> {
    const value = localDateSchema.parse(date)
    await this.setConfig(
      yearSchema.parse(year),
      deadlineField(year),
      value,
      'allowance.deadline',
      meta,
    )
    return value
  }

  /** `year`'s deadline, or undefined when none was set. */
  async getAllowanceDeadline(year: number, reads?: StoreReads): Promise<LocalDate | undefined> {
    const { redis, keys } = this.deps
    const raw = await (reads ?? redis).hget(keys.allowanceConfig(), deadlineField(year))
    return raw === null ? undefined : localDateSchema.parse(raw)
  }

  private async setConfig(
    year: number,
    field: string,
    value: string,
    action: string,
    meta: WriteMeta,
  ): Promise<void> {
    const { redis, keys } = this.deps
    await this.writer.write(meta, async () => {
      const before = await redis.hget(keys.allowanceConfig(), field)
      if (before === value) return undefined
      const plan = new WritePlan(0, `allowance|${year}`)
        .requireField(keys.allowanceConfig(), field, before ?? false, 'retry')
        .hset(keys.allowanceConfig(), field, value)
      return { plan, action, before: before ?? '', after: value }
    })
  }

  /**
   * Records one allowance payment to a conscript family (义务兵家庭). The household type
   * defaults to the person's and the standard to the year's configured one for that type.
   * Throws UserFacingError for a missing, removed or non-conscript person, a household type
   * that contradicts the person's, or no standard to pay against. Throws DuplicateRecordError
   * when the family already has an active payment for the year, unless
   * `options.allowDuplicate` (the user confirmed a second payment). A 补发 (`input.topUp`) has
   * no duplicate guard, but the family's sum at this standard must still be `options.topUpOf`
   * fen (familyPaidFen, as the caller read it to check what is owed; read here when not given),
   * else UserFacingError. `topUpOf` without `topUp` is a bug and throws.
   * `options.snapshot` is the person as the caller's look-up read them (see VisitStore.addVisit).
   */
  async addPayment(
    input: PaymentInput,
    meta: WriteMeta,
    options: { allowDuplicate?: boolean; topUpOf?: number; snapshot?: PersonSnapshot } = {},
  ): Promise<WriteResult<AllowancePayment> & { progress?: { families: number; due: number } }> {
    const { keys } = this.deps
    const fields = paymentInputSchema.parse(input)
    const topUp = fields.topUp === true
    if (!topUp && options.topUpOf !== undefined) {
      throw new Error('topUpOf guards a 补发: the input needs topUp: true')
    }
    // Used by the first attempt only: an attempt that lost the compare-and-set reads afresh.
    let snapshot = loadedFromSnapshot(fields.personId, options.snapshot)
    const outcome = await this.writer.write(meta, async () => {
      const first = snapshot
      snapshot = undefined
      const [loaded, standard] = await Promise.all([
        first ?? this.records.load(fields.personId),
        fields.standardFen === undefined ? this.getAllowanceStandard(fields.year) : undefined,
      ])
      const person = loaded?.record
      if (!loaded || person?.kind !== 'person') {
        throw new UserFacingError(`没有找到对象 #${fields.personId}。`)
      }
      if (person.status === 'withdrawn') {
        throw new UserFacingError(`对象 #${person.id} ${person.name} 已移除，不能登记发放。`)
      }
      if (person.category !== CONSCRIPT_FAMILY) {
        throw new UserFacingError(
          `${person.name}（#${person.id}）是${person.category}，不是义务兵家庭。`,
        )
      }
      const householdType = fields.householdType ?? person.householdType
      if (!householdType) {
        throw new UserFacingError(untypedFamily(person))
      }
      if (person.householdType && person.householdType !== householdType) {
        throw new UserFacingError(
          `${person.name}家登记为${person.householdType}户口，不是${householdType}。`,
        )
      }
      let standardFen = fields.standardFen
      if (standardFen === undefined) {
        if (!standard) throw new UserFacingError(`还没有设置${fields.year}年优待金标准。`)
        standardFen = standardFenFor(standard, householdType)
      }
      const payment: AllowancePayment = {
        id: 0,
        kind: 'payment',
        createdBy: meta.actor,
        createdAt: meta.at.toISOString(),
        status: 'active',
        personId: fields.personId,
        year: fields.year,
        amountFen: fields.amountFen,
        date: fields.date,
        householdType,
        standardFen,
        village: person.village,
        topUp: fields.topUp,
        notes: fields.notes,
      }
      const plan = new WritePlan('new')
        .requireUnchanged(keys.records(), String(person.id), loaded.raw, 'retry')
        .applyEffects([], effectsOf(keys, payment, '$id'), this.records.ownerTaken)
      if (topUp) {
        // A 补发 checked against what the family was owed: that sum must not have moved since.
        // Counter fields are deleted at 0, so a sum of 0 is an absent field.
        const tally = keys.allowanceTally(payment.year)
        const field = TallyFields.allowance.family(
          payment.village,
          householdType,
          person.id,
          standardFen,
        )
        const { topUpOf } = options
        const expected =
          topUpOf === undefined
            ? ((await this.deps.redis.hget(tally, field)) ?? false)
            : topUpOf > 0 && String(topUpOf)
        plan.requireField(
          tally,
          field,
          expected,
          () =>
            new UserFacingError(
              `${person.name}家刚有另一笔优待金登记，这次补发未登记。请发「未发放」核对后再发一次。`,
            ),
        )
      } else if (!options.allowDuplicate) {
        plan.requireField(
          keys.allowancePaid(payment.year, payment.village),
          TallyFields.paidMember(payment.personId, householdType),
          false,
          () => this.earlierPayment(payment),
        )
      }
      plan
        .rpush(keys.yearPayments(payment.year), '$id')
        .sadd(keys.periods(), TallyFields.period.allowance(payment.year))
        // The village's progress as the write leaves it, counted as TallyReader's
        // readVillageAllowance counts it: paid families less the removed among them, of those due.
        .readAfter(
          keys.allowanceTally(payment.year),
          ...HOUSEHOLD_TYPES.map((t) => TallyFields.allowance.families(payment.village, t)),
        )
        .readAfter(
          keys.rosterTally(),
          TallyFields.roster.villageCategory(payment.village, CONSCRIPT_FAMILY),
        )
        .readAfterMembersIn(
          keys.removedPeople(payment.village),
          keys.allowancePaid(payment.year, payment.village),
          HOUSEHOLD_TYPES.length,
        )
      return { plan, action: 'payment.add', after: encodeAdded(payment) }
    })
    const progress = outcome?.readAfter?.length ? paidProgressOf(outcome.readAfter) : undefined
    return { ...addResult(this.records, outcome, 'payment'), ...(progress && { progress }) }
  }

  /**
   * Fen paid to a family in `year` against `standardFen` (its per-family counter, one HGET):
   * what a 补发 is checked against. Payments made against another standard are not in it.
   */
  async familyPaidFen(
    year: number,
    family: { village: string; householdType: HouseholdType; personId: number },
    standardFen: number,
  ): Promise<number> {
    const { redis, keys } = this.deps
    const { village, householdType, personId } = family
    const raw = await redis.hget(
      keys.allowanceTally(year),
      TallyFields.allowance.family(village, householdType, personId, standardFen),
    )
    return Number(raw ?? 0)
  }

  /** The active payment of the year to the family that `payment` would pay again. */
  private async earlierPayment(
    payment: Pick<AllowancePayment, 'personId' | 'year'>,
  ): Promise<Error> {
    for await (const earlier of this.paymentsOfYear(payment.year)) {
      if (earlier.personId === payment.personId) return new DuplicateRecordError(earlier)
    }
    return new UserFacingError('刚才有人同时登记了这笔发放，请稍后再发一次。')
  }

  /**
   * The payments of `year` beyond a family's first (in `villages`, else all), told apart as the
   * records say: a 补发 is one marked so (`topUp`) or one that stayed within what the family was
   * still owed against its standard; any other is a repeat (a second payment confirmed with
   * 「确认」). Reads the year's payments, so 统计 优待金 calls it only when its counters show
   * payments beyond a first (AllowanceVariance.repeats).
   */
  async paymentsBeyondFirst(
    year: number,
    villages?: readonly string[],
  ): Promise<{ topUps: number; repeats: number }> {
    const inScope = villages && new Set(villages)
    // Village|person → what the family had been paid before the payment at hand.
    const paidBefore = new Map<string, number>()
    let topUps = 0
    let repeats = 0
    for await (const p of this.paymentsOfYear(year)) {
      if (inScope && !inScope.has(p.village)) continue
      const family = `${p.village}|${p.personId}`
      const before = paidBefore.get(family)
      paidBefore.set(family, (before ?? 0) + p.amountFen)
      if (before === undefined) continue
      if (countsAsTopUp(p, before)) topUps++
      else repeats++
    }
    return { topUps, repeats }
  }

  /** The payment `#id`, or undefined when it is not a payment. */
  getPayment(id: number): Promise<AllowancePayment | undefined> {
    return this.records.getOfKind(id, 'payment')
  }

  /** The payments of `year` in the order logged (for 导出 优待金), read in pages. */
  paymentsOfYear(
    year: number,
    options: { includeWithdrawn?: boolean } = {},
  ): AsyncGenerator<AllowancePayment> {
    return this.records.walkList(
      this.deps.keys.yearPayments(year),
      'payment',
      options.includeWithdrawn,
    )
  }
}

/** The payment's read-after values as the village's families paid of those due. */
function paidProgressOf(reads: readonly (string | null)[]): { families: number; due: number } {
  const n = HOUSEHOLD_TYPES.length
  const removed = (reads[n + 1] ?? '').split(',').map(Number)
  let families = 0
  for (let t = 0; t < n; t++) families += Number(reads[t] ?? 0) - (removed[t] ?? 0)
  return { families, due: Number(reads[n] ?? 0) }
}

/**
 * Whether a payment beyond a family's first of the year is a 补发: marked so, or within what the
 * family was still owed against its standard (`paidBeforeFen` paid before it). Any other is a
 * 重复发放. The one rule of 统计 优待金, 年报 and the 优待金 export.
 */
export function countsAsTopUp(
  p: Pick<AllowancePayment, 'topUp' | 'amountFen' | 'standardFen'>,
  paidBeforeFen: number,
): boolean {
  return p.topUp === true || paidBeforeFen + p.amountFen <= p.standardFen
}
