import { z } from 'zod'
import { isLocalDate } from '../time/local-date.js'
import { OCCASIONS } from '../occasions.js'

/**
 * The records of 双拥 work as the rest of the bot sees them (domain.md, "Entities").
 * Money is always integer fen. The compact form these are stored in is stored-record.ts.
 */

/**
 * 优抚对象 categories. The position of each name is its code in stored counter fields
 * (`<personId>.<code>`), so this list is append-only: never reorder or remove a name.
 */
export const CATEGORIES = [
  '残疾军人',
  '烈士遗属',
  '因公牺牲军人遗属',
  '病故军人遗属',
  '带病回乡退伍军人',
  '在乡复员军人',
  '参战参试退役人员',
  '现役军人家属',
  '义务兵家庭',
  '退役士兵',
  '军队离退休干部',
  '其他',
] as const
export type Category = (typeof CATEGORIES)[number]

/** The category that receives the yearly conscript-family allowance (义务兵家庭优待金). */
export const CONSCRIPT_FAMILY: Category = '义务兵家庭'

/** Disability grades since the 2004 军人抚恤优待条例: 一级 (most severe) … 十级. */
export const DISABILITY_GRADES = [
  '一级',
  '二级',
  '三级',
  '四级',
  '五级',
  '六级',
  '七级',
  '八级',
  '九级',
  '十级',
] as const
export type DisabilityGrade = (typeof DISABILITY_GRADES)[number]

/**
 * Pre-2004 labels, kept verbatim as old certificates show them. We deliberately map none of
 * them to the current grades: we found no authoritative conversion table to cite, and a
 * wrong grade misstates a veteran's entitlement. A person may carry both forms side by side.
 */
export const LEGACY_DISABILITY_LABELS = [
  '特等',
  '一等',
  '二等甲级',
  '二等乙级',
  '三等甲级',
  '三等乙级',
] as const
export type LegacyDisabilityLabel = (typeof LEGACY_DISABILITY_LABELS)[number]

/** Household registration type; the allowance standard may differ. Position = stored code. */
export const HOUSEHOLD_TYPES = ['农村', '城镇'] as const
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number]

/**
 * Why a person left the roster (撤销 of a person, issue 13): the annual roster check lists
 * them. Position = stored code, so append only.
 */
export const REMOVAL_REASONS = ['去世', '迁出', '退役', '其他'] as const
export type RemovalReason = (typeof REMOVAL_REASONS)[number]

/** A removal's reason and its short free text (required for 其他, optional otherwise). */
export const removalSchema = z.object({
  reason: z.enum(REMOVAL_REASONS),
  note: z.string().trim().min(1).max(30).optional(),
})
export type Removal = z.infer<typeof removalSchema>

/** The most characters a withdrawal's reason (`撤销 #13 原因 重复登记`) is stored with. */
export const WITHDRAW_REASON_MAX = 100

/**
 * Why a visit, payment or activity is withdrawn: one line of 1–WITHDRAW_REASON_MAX characters
 * (counted as code points), no control or format characters (they would hide in a sheet).
 */
export const withdrawReasonSchema = z
  .string()
  .trim()
  .min(1)
  .refine((s) => [...s].length <= WITHDRAW_REASON_MAX, `at most ${WITHDRAW_REASON_MAX} characters`)
  .refine((s) => !/[\p{Cc}\p{Cf}\p{Cs}]/u.test(s), 'must be one line of visible text')

/** Enlistment cohorts: spring (March) and autumn (September) call-ups. */
export const COHORTS = ['3-1', '9-1'] as const
export type Cohort = (typeof COHORTS)[number]

// The occasion vocabulary lives in occasions.ts; the schemas store its words.
export { CAMPAIGN_OCCASIONS, OCCASIONS, type Occasion } from '../occasions.js'

// Appended only: tallies and exports list kinds in this order, and new kinds go last.
export const ACTIVITY_KINDS = [
  '座谈会',
  '晚会',
  '表彰会',
  '慰问团',
  '军训',
  '共建点',
  '慰问部队',
] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]

/** Kinds of 军民共建点 (co-building sites); only activities of kind 共建点 carry one. */
export const SITE_KINDS = ['村', '学校', '社区', '企业'] as const
export type SiteKind = (typeof SITE_KINDS)[number]

export const RECORD_KINDS = ['person', 'visit', 'payment', 'activity'] as const
export type RecordKind = (typeof RECORD_KINDS)[number]

export const RECORD_STATUSES = ['active', 'withdrawn'] as const
export type RecordStatus = (typeof RECORD_STATUSES)[number]

/**
 * The counter bucket of visits and activities that belong to no village (a garrison visit,
 * a township gala). It cannot collide with a village: village names end in 村 or 社区.
 */
export const TOWNSHIP = '全镇'

/** The stored code of a category or household type (its position, see CATEGORIES). */
export function categoryCode(category: Category): number {
  return CATEGORIES.indexOf(category)
}
export function householdTypeCode(type: HouseholdType): number {
  return HOUSEHOLD_TYPES.indexOf(type)
}

// Free text ends up inside counter field names (`n|<village>`) and key names, and travels
// through Lua's cjson, so it may hold neither our separators nor lone surrogates.
const LONE_SURROGATE = /\p{Cs}/u
const SEPARATORS = /[|:]/

/** A short label (name, unit, goods): trimmed, 1–`max` characters, no `|` or `:`. */
export function label(max = 40) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !SEPARATORS.test(s), 'must not contain | or :')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed text')
}

/** Free text (notes, needs): trimmed, up to `max` characters. */
export function freeText(max = 500) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed text')
}

/** A village or community name, kept with its suffix: 铁炉嘴村, 城关社区. */
export const villageNameSchema = label(30).refine(
  (s) => /(村|社区)$/.test(s),
  'a village name ends in 村 or 社区',
)
export const personNameSchema = label(30)
/** A visited unit (武警中队, 消防救援站), as stored on its visits. */
export const unitNameSchema = label(40)
export const localDateSchema = z.string().refine(isLocalDate, 'must be a real YYYY-MM-DD date')
/** A campaign or allowance year. */
export const yearSchema = z.number().int().min(2000).max(2100)
/** Integer fen (1 元 = 100 fen), never negative. */
export const fenSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
/** A user as `platform:userId` (`wecom:zhangsan`, `sandbox:admin`). */
export const userKeySchema = z.string().regex(/^[a-z]+:\S+$/, 'must be platform:userId')
export const isoInstantSchema = z.iso.datetime()

/** Who, when and under which idempotency key (platform message id or form id) a write happens. */
export const writeMetaSchema = z.object({
  actor: userKeySchema,
  at: z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid date'),
  idempotencyKey: z.string().min(1).max(200),
})
export type WriteMeta = z.infer<typeof writeMetaSchema>

const headerShape = {
  id: z.number().int().positive(),
  createdBy: userKeySchema,
  createdAt: isoInstantSchema,
  status: z.enum(RECORD_STATUSES),
  withdrawnBy: userKeySchema.optional(),
  withdrawnAt: isoInstantSchema.optional(),
  /** Why a visit, payment or activity was withdrawn (`撤销 #N 原因 …`); a person's is `removal`. */
  withdrawReason: withdrawReasonSchema.optional(),
}

/** Header common to every record kind. `#<id>` is unique across all kinds. */
export const recordHeaderSchema = z.object(
  Object.assign({}, headerShape, { kind: z.enum(RECORD_KINDS) }),
)
export type RecordHeader = z.infer<typeof recordHeaderSchema>

export const disabilitySchema = z
  .object({
    grade: z.enum(DISABILITY_GRADES).optional(),
    legacyLabel: z.enum(LEGACY_DISABILITY_LABELS).optional(),
  })
  .refine((d) => d.grade !== undefined || d.legacyLabel !== undefined, 'grade or legacy label')
export type Disability = z.infer<typeof disabilitySchema>

/**
 * An entitled person (优抚对象) as readers see it. Phone and ID number are stored encrypted
 * and only their masked forms appear here; PeopleStore.revealPii gives the full values.
 */
export const personSchema = z.object(
  Object.assign({}, headerShape, {
    kind: z.literal('person'),
    name: personNameSchema,
    village: villageNameSchema,
    category: z.enum(CATEGORIES),
    disability: disabilitySchema.optional(),
    householdType: z.enum(HOUSEHOLD_TYPES).optional(),
    enlistedAt: localDateSchema.optional(),
    cohort: z.enum(COHORTS).optional(),
    /** The conscript's own name (义务兵姓名); `name` is the family's contact, who signs. */
    soldierName: personNameSchema.optional(),
    phoneMasked: z.string().optional(),
    idNumberMasked: z.string().optional(),
    notes: freeText().optional(),
    /** Why the person left the roster; absent while active and on removals before issue 13. */
    removal: removalSchema.optional(),
  }),
)
export type Person = z.infer<typeof personSchema>

export const goodsSchema = z.object({
  name: label(20),
  quantity: z.number().int().positive().max(1_000_000),
  unit: label(10),
})
export type Goods = z.infer<typeof goodsSchema>

/**
 * A visit (走访/慰问) to a person or a unit. `village` and `category` are the person's at the
 * time of the visit (snapshots, so tallies of past campaigns never move); a unit visit has
 * no category and counts under TOWNSHIP when it names no village.
 */
export const visitSchema = z.object(
  Object.assign({}, headerShape, {
    kind: z.literal('visit'),
    date: localDateSchema,
    occasion: z.enum(OCCASIONS),
    campaignYear: yearSchema,
    personId: z.number().int().positive().optional(),
    unitName: unitNameSchema.optional(),
    village: z.union([villageNameSchema, z.literal(TOWNSHIP)]),
    category: z.enum(CATEGORIES).optional(),
    visitors: z.array(label(30)).min(1).max(20),
    cashFen: fenSchema,
    goods: z.array(goodsSchema).max(20),
    needs: freeText().optional(),
    followUp: freeText().optional(),
    /** When the need found (a help case, 帮扶) was resolved (办结); open while absent. */
    resolvedAt: localDateSchema.optional(),
    notes: freeText().optional(),
  }),
)
export type Visit = z.infer<typeof visitSchema>

/** One year's allowance standard: split rural/urban, or one unified amount (most provinces since 2021). */
export const allowanceStandardSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('split'), ruralFen: fenSchema, urbanFen: fenSchema }),
  z.object({ mode: z.literal('unified'), fen: fenSchema }),
])
export type AllowanceStandard = z.infer<typeof allowanceStandardSchema>

/** The standard amount in fen a family of `type` receives under `standard`. */
export function standardFenFor(standard: AllowanceStandard, type: HouseholdType): number {
  if (standard.mode === 'unified') return standard.fen
  return type === '农村' ? standard.ruralFen : standard.urbanFen
}

/** A conscript-family allowance payment. `village` is the family's village when paid (snapshot). */
export const allowancePaymentSchema = z.object(
  Object.assign({}, headerShape, {
    kind: z.literal('payment'),
    personId: z.number().int().positive(),
    year: yearSchema,
    amountFen: fenSchema,
    date: localDateSchema,
    householdType: z.enum(HOUSEHOLD_TYPES),
    standardFen: fenSchema,
    village: villageNameSchema,
    /** A 补发 (top-up): the cadre said this payment tops up the family's year. Absent otherwise. */
    topUp: z.literal(true).optional(),
    notes: freeText().optional(),
  }),
)
export type AllowancePayment = z.infer<typeof allowancePaymentSchema>

/**
 * An activity: forum, gala, award meeting, delegation, student training (count = students)
 * or a co-building site (共建点, with its siteKind). No village = township level.
 */
export const activitySchema = z.object(
  Object.assign({}, headerShape, {
    kind: z.literal('activity'),
    activityKind: z.enum(ACTIVITY_KINDS),
    date: localDateSchema,
    year: yearSchema,
    count: z.number().int().nonnegative().max(10_000_000).optional(),
    village: villageNameSchema.optional(),
    siteKind: z.enum(SITE_KINDS).optional(),
    /**
     * The unit a 慰问部队 went to (武警中队). Typed ones are activityUnitSchema; one read from an
     * activity stored before the field (in its notes, stored-record.ts) may be any text.
     */
    unitName: freeText().optional(),
    /** The name written when longer than the kind's (双拥晚会, 迎春座谈会); same caveat. */
    title: freeText().optional(),
    notes: freeText().optional(),
  }),
)
export type Activity = z.infer<typeof activitySchema>

export type AnyRecord = Person | Visit | AllowancePayment | Activity

// Inputs of the write operations. Each is parsed before anything is stored.

export const personInputSchema = z.object({
  name: personNameSchema,
  village: villageNameSchema,
  category: z.enum(CATEGORIES),
  disability: disabilitySchema.optional(),
  householdType: z.enum(HOUSEHOLD_TYPES).optional(),
  enlistedAt: localDateSchema.optional(),
  cohort: z.enum(COHORTS).optional(),
  soldierName: personNameSchema.optional(),
  /** In clear here; stored encrypted (pii.ts). */
  phone: z.string().optional(),
  /** In clear here; stored encrypted (pii.ts). */
  idNumber: z.string().optional(),
  notes: freeText().optional(),
})
export type PersonInput = z.input<typeof personInputSchema>

/** Changes to a person; `null` clears an optional field, an absent key leaves it. */
export const personChangesSchema = z.strictObject({
  name: personNameSchema.optional(),
  village: villageNameSchema.optional(),
  category: z.enum(CATEGORIES).optional(),
  disability: disabilitySchema.nullable().optional(),
  householdType: z.enum(HOUSEHOLD_TYPES).nullable().optional(),
  enlistedAt: localDateSchema.nullable().optional(),
  cohort: z.enum(COHORTS).nullable().optional(),
  soldierName: personNameSchema.nullable().optional(),
  phone: z.string().nullable().optional(),
  idNumber: z.string().nullable().optional(),
  notes: freeText().nullable().optional(),
})
export type PersonChanges = z.input<typeof personChangesSchema>

export const visitInputSchema = z
  .object({
    date: localDateSchema,
    occasion: z.enum(OCCASIONS),
    campaignYear: yearSchema,
    personId: z.number().int().positive().optional(),
    unitName: unitNameSchema.optional(),
    /** For a person, defaults to (and must equal) the person's village. */
    village: villageNameSchema.optional(),
    visitors: z.array(label(30)).min(1).max(20),
    cashFen: fenSchema.default(0),
    goods: z.array(goodsSchema).max(20).default([]),
    needs: freeText().optional(),
    followUp: freeText().optional(),
    notes: freeText().optional(),
  })
  .refine((v) => (v.personId === undefined) !== (v.unitName === undefined), {
    message: 'a visit names either a person or a unit',
  })
  .refine((v) => Math.abs(Number(v.date.slice(0, 4)) - v.campaignYear) <= 1, {
    message: 'the visit date is more than a year away from its campaign',
  })
export type VisitInput = z.input<typeof visitInputSchema>

/** The note payments marked a 补发 with before `topUp` was a field (stored-record.ts reads it). */
export const TOP_UP_MARK = '补发'

// Payments stored before `topUp` carried it as their notes, `补发` or `补发；…` (stored-record.ts
// reads such notes as the mark). New notes may not take those forms, so a payment's note is never
// mistaken for the old mark; `补发差额` and the like are notes as typed.
const paymentNotesSchema = freeText().refine(
  (s) => s !== TOP_UP_MARK && !s.startsWith(`${TOP_UP_MARK}；`),
  'must not be the old 补发 mark',
)

export const paymentInputSchema = z.object({
  personId: z.number().int().positive(),
  year: yearSchema,
  amountFen: fenSchema,
  date: localDateSchema,
  /** Defaults to the person's; when both are known they must agree. */
  householdType: z.enum(HOUSEHOLD_TYPES).optional(),
  /** Defaults to the year's configured standard for the household type. */
  standardFen: fenSchema.optional(),
  /** A 补发: not held as a repeat, guarded on the family's sum (AllowanceStore.addPayment). */
  topUp: z.literal(true).optional(),
  notes: paymentNotesSchema.optional(),
})
export type PaymentInput = z.input<typeof paymentInputSchema>

/**
 * The unit a 慰问部队 went to, as typed: one word of up to 30 characters (武警中队). It is part of
 * the same-day guard's counter field (activity-title.ts), hence a label.
 */
export const activityUnitSchema = label(30).refine((s) => !/\s/.test(s), 'must be one word')
/** The name written for an activity (双拥晚会): up to 20 characters, one word. */
export const activityTitleSchema = freeText(20).refine((s) => !/\s/.test(s), 'must be one word')

// Activities stored before unitName and title were fields carried them at the start of their
// notes, ended by 「；」 (stored-record.ts reads them apart). Typed text never holds it (it is
// folded to 「;」), and new notes may not, so a note is never mistaken for that old prefix.
const activityNotesSchema = freeText().refine((s) => !s.includes('；'), 'must not contain 「；」')

export const activityInputSchema = z
  .object({
    activityKind: z.enum(ACTIVITY_KINDS),
    date: localDateSchema,
    year: yearSchema,
    count: z.number().int().nonnegative().max(10_000_000).optional(),
    village: villageNameSchema.optional(),
    siteKind: z.enum(SITE_KINDS).optional(),
    unitName: activityUnitSchema.optional(),
    title: activityTitleSchema.optional(),
    notes: activityNotesSchema.optional(),
  })
  .refine((a) => (a.activityKind === '共建点') === (a.siteKind !== undefined), {
    message: 'a 共建点 needs a siteKind, and only a 共建点 has one',
  })
  .refine((a) => (a.activityKind === '慰问部队') === (a.unitName !== undefined), {
    message: 'a 慰问部队 needs a unitName, and only a 慰问部队 has one',
  })
  .refine(
    (a) => a.title === undefined || (a.activityKind !== '慰问部队' && a.activityKind !== '共建点'),
    {
      message: 'a 慰问部队 is named by its unit and a 共建点 by its site kind, not by a title',
    },
  )
export type ActivityInput = z.input<typeof activityInputSchema>

// Corrections (修改 #N …): amounts, dates and text, and a visit's occasion and person. What a
// record is counted under otherwise (village, year, kind) follows from those (RecordStore.correct
// takes a visit's village and category from its person and its year from the season rule).

export const visitChangesSchema = z.strictObject({
  cashFen: fenSchema.optional(),
  date: localDateSchema.optional(),
  occasion: z.enum(OCCASIONS).optional(),
  personId: z.number().int().positive().optional(),
  goods: z.array(goodsSchema).max(20).optional(),
  visitors: z.array(label(30)).min(1).max(20).optional(),
  needs: freeText().nullable().optional(),
  followUp: freeText().nullable().optional(),
  resolvedAt: localDateSchema.nullable().optional(),
  notes: freeText().nullable().optional(),
})
export type VisitChanges = z.input<typeof visitChangesSchema>

/** A payment's corrections; its `topUp` is kept as it is (a 修改 never changes what it was). */
export const paymentChangesSchema = z.strictObject({
  amountFen: fenSchema.optional(),
  date: localDateSchema.optional(),
  notes: paymentNotesSchema.nullable().optional(),
})
export type PaymentChanges = z.input<typeof paymentChangesSchema>

export const activityChangesSchema = z.strictObject({
  count: z.number().int().nonnegative().max(10_000_000).nullable().optional(),
  date: localDateSchema.optional(),
  /** A 慰问部队's unit: replaced, never cleared (a 慰问部队 names one). */
  unitName: activityUnitSchema.optional(),
  /** `null` goes back to the kind's own name. */
  title: activityTitleSchema.nullable().optional(),
  notes: activityNotesSchema.nullable().optional(),
})
export type ActivityChanges = z.input<typeof activityChangesSchema>

export type RecordChanges = VisitChanges | PaymentChanges | ActivityChanges
