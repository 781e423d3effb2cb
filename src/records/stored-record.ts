import { z } from 'zod'
import { maskIdNumber, maskPhone, type Pii } from './pii.js'
import {
  ACTIVITY_KINDS,
  CATEGORIES,
  COHORTS,
  DISABILITY_GRADES,
  HOUSEHOLD_TYPES,
  LEGACY_DISABILITY_LABELS,
  OCCASIONS,
  REMOVAL_REASONS,
  SITE_KINDS,
  TOP_UP_MARK,
  TOWNSHIP,
  fenSchema,
  freeText,
  label,
  localDateSchema,
  personNameSchema,
  removalSchema,
  userKeySchema,
  villageNameSchema,
  withdrawReasonSchema,
  yearSchema,
  type AllowancePayment,
  type AnyRecord,
  type RecordHeader,
  type Visit,
  type Removal,
} from './schemas.js'

/**
 * The compact JSON each record is stored as, one field of the records hash per record.
 * Short keys, absent defaults and epoch-millisecond times keep a visit near 150 bytes, which
 * is what holds memory per visit under the 300-byte budget (issue 3). The id is the hash
 * field, so it is not repeated inside. Every read is zod-parsed (style.md §2.9).
 *
 * Header: k kind (p person, v visit, m payment, a activity), b createdBy, a createdAt (ms),
 * x [withdrawnBy, withdrawnAt ms, reason?] once withdrawn (the reason of `撤销 #N 原因 …`).
 */

const header = {
  b: userKeySchema,
  a: z.number().int().nonnegative(),
  x: z
    .union([
      z.tuple([userKeySchema, z.number().int().nonnegative()]),
      z.tuple([userKeySchema, z.number().int().nonnegative(), withdrawReasonSchema]),
    ])
    .optional(),
}

/** n name, l village, c category, g grade, lg legacy label, h household type, e enlisted,
 * co cohort, sn the soldier's name, ph/pm sealed phone and its MAC, in/im sealed ID number and
 * its MAC, nt notes, xr [reason, note?] why a removed person left the roster. */
const storedPersonSchema = z.object({
  k: z.literal('p'),
  ...header,
  n: personNameSchema,
  l: villageNameSchema,
  c: z.enum(CATEGORIES),
  g: z.enum(DISABILITY_GRADES).optional(),
  lg: z.enum(LEGACY_DISABILITY_LABELS).optional(),
  h: z.enum(HOUSEHOLD_TYPES).optional(),
  e: localDateSchema.optional(),
  co: z.enum(COHORTS).optional(),
  sn: personNameSchema.optional(),
  ph: z.string().optional(),
  pm: z.string().optional(),
  in: z.string().optional(),
  im: z.string().optional(),
  nt: freeText().optional(),
  xr: z
    .union([
      z.tuple([z.enum(REMOVAL_REASONS)]),
      z.tuple([z.enum(REMOVAL_REASONS), removalSchema.shape.note.unwrap()]),
    ])
    .optional(),
})

/** d date, o occasion, y campaign year, p person id | u unit, l village, c category,
 * w visitors, f cash fen (absent = 0), g goods [name, quantity, unit][], nd needs,
 * fu follow-up, rs date the need was resolved, nt notes. */
const storedVisitSchema = z.object({
  k: z.literal('v'),
  ...header,
  d: localDateSchema,
  o: z.enum(OCCASIONS),
  y: yearSchema,
  p: z.number().int().positive().optional(),
  u: label(40).optional(),
  l: z.union([villageNameSchema, z.literal(TOWNSHIP)]),
  c: z.enum(CATEGORIES).optional(),
  w: z.array(label(30)).min(1),
  f: fenSchema.optional(),
  g: z.array(z.tuple([label(20), z.number().int().positive(), label(10)])).optional(),
  nd: freeText().optional(),
  fu: freeText().optional(),
  rs: localDateSchema.optional(),
  nt: freeText().optional(),
})

/** p person id, y year, f amount fen, d date, h household type, s standard fen, l village,
 * tu 1 for a 补发, nt notes. Payments stored before tu carry the 补发 as their notes
 * (legacyPaymentNotes). */
const storedPaymentSchema = z.object({
  k: z.literal('m'),
  ...header,
  p: z.number().int().positive(),
  y: yearSchema,
  f: fenSchema,
  d: localDateSchema,
  h: z.enum(HOUSEHOLD_TYPES),
  s: fenSchema,
  l: villageNameSchema,
  tu: z.literal(1).optional(),
  nt: freeText().optional(),
})
type StoredPayment = z.infer<typeof storedPaymentSchema>

// Before tu, a 补发 was stored as the note `补发`, or `补发；` before the note written (typed text
// never holds 「；」). New notes may not take either form (paymentInputSchema), so only those are
// the old mark: a note such as `补发差额` stays the note it was typed as.
const OLD_TOP_UP_PREFIX = `${TOP_UP_MARK}；`

/**
 * Whether a stored payment is a 补发, and its note. One stored before tu with the old mark is
 * a 补发 with the rest of its notes (none after a bare `补发`).
 */
export function legacyPaymentNotes(s: Pick<StoredPayment, 'tu' | 'nt'>): {
  topUp: boolean
  notes?: string
} {
  if (s.tu === 1) return { topUp: true, notes: s.nt }
  if (s.nt === undefined) return { topUp: false }
  if (s.nt === TOP_UP_MARK) return { topUp: true }
  if (!s.nt.startsWith(OLD_TOP_UP_PREFIX)) return { topUp: false, notes: s.nt }
  return { topUp: true, notes: s.nt.slice(OLD_TOP_UP_PREFIX.length).trim() || undefined }
}

/** t activity kind, d date, y year, n count, l village, sk site kind, u a 慰问部队's unit,
 * ti the name written (双拥晚会), nt notes. Activities stored before u and ti carry them at the
 * start of nt (legacyActivityTexts). */
const storedActivitySchema = z.object({
  k: z.literal('a'),
  ...header,
  t: z.enum(ACTIVITY_KINDS),
  d: localDateSchema,
  y: yearSchema,
  n: z.number().int().nonnegative().optional(),
  l: villageNameSchema.optional(),
  sk: z.enum(SITE_KINDS).optional(),
  u: freeText().optional(),
  ti: freeText().optional(),
  nt: freeText().optional(),
})
type StoredActivity = z.infer<typeof storedActivitySchema>

// Before u and ti, the unit of a 慰问部队 was its notes (`武警中队`, `武警中队；送春联`) and the name
// written for another kind started them, always with the separator (`双拥晚会；`, `双拥晚会；很成功`).
// Typed text never holds 「；」 (folded to 「;」), so notes of another kind without it are a note.
const OLD_SEPARATOR = '；'

/**
 * The unit, the written name and the note of a stored activity. One stored before u and ti
 * had them is read apart from its notes exactly as it was named then, so its same-day guard
 * field (activity-title.ts activityDayField) is the one its counters were written with.
 */
export function legacyActivityTexts(s: Pick<StoredActivity, 't' | 'u' | 'ti' | 'nt'>): {
  unitName?: string
  title?: string
  notes?: string
} {
  if (s.u !== undefined || s.ti !== undefined || s.nt === undefined) {
    return { unitName: s.u, title: s.ti, notes: s.nt }
  }
  const at = s.nt.indexOf(OLD_SEPARATOR)
  if (s.t !== '慰问部队' && at < 0) return { notes: s.nt }
  const [prefix, rest] = at < 0 ? [s.nt, ''] : [s.nt.slice(0, at), s.nt.slice(at + 1)]
  // Untrimmed, as activity-title.ts read the unit then: the guard field must not change.
  const named = prefix || undefined
  return Object.assign(
    s.t === '慰问部队' ? { unitName: named } : { title: named },
    rest ? { notes: rest } : {},
  )
}

export const storedRecordSchema = z.discriminatedUnion('k', [
  storedPersonSchema,
  storedVisitSchema,
  storedPaymentSchema,
  storedActivitySchema,
])
export type StoredRecord = z.infer<typeof storedRecordSchema>
export type StoredPerson = z.infer<typeof storedPersonSchema>

/** The encrypted phone and ID number of a person, with the MACs that index them. */
export interface PersonSecrets {
  phoneSealed?: string
  phoneMac?: string
  idNumberSealed?: string
  idNumberMac?: string
}

/** Parses one stored value; throws (a ZodError) when it does not match the schema. */
export function parseStored(raw: string): StoredRecord {
  return storedRecordSchema.parse(JSON.parse(raw))
}

/** The sealed phone and ID number of a stored person, with their MACs (still encrypted). */
export function secretsOf(stored: StoredPerson): PersonSecrets {
  return {
    phoneSealed: stored.ph,
    phoneMac: stored.pm,
    idNumberSealed: stored.in,
    idNumberMac: stored.im,
  }
}

function headerOf(id: number, s: StoredRecord): Omit<RecordHeader, 'kind'> {
  return {
    id,
    createdBy: s.b,
    createdAt: new Date(s.a).toISOString(),
    status: s.x ? 'withdrawn' : 'active',
    ...(s.x && { withdrawnBy: s.x[0], withdrawnAt: new Date(s.x[1]).toISOString() }),
    ...(s.x?.[2] !== undefined && { withdrawReason: s.x[2] }),
  }
}

/**
 * The record `id` as readers see it. With `pii`, a person's phone and ID number are opened
 * and masked; without it (recounts) they are left out.
 */
export function toRecord(id: number, s: StoredRecord, pii?: Pii): AnyRecord {
  const h = headerOf(id, s)
  switch (s.k) {
    case 'p':
      return {
        kind: 'person',
        ...h,
        name: s.n,
        village: s.l,
        category: s.c,
        ...((s.g || s.lg) && { disability: { grade: s.g, legacyLabel: s.lg } }),
        householdType: s.h,
        enlistedAt: s.e,
        cohort: s.co,
        soldierName: s.sn,
        ...(pii && s.ph && { phoneMasked: maskPhone(pii.open('phone', s.ph)) }),
        ...(pii && s.in && { idNumberMasked: maskIdNumber(pii.open('idNumber', s.in)) }),
        notes: s.nt,
        ...(s.xr && { removal: { reason: s.xr[0], ...(s.xr[1] && { note: s.xr[1] }) } }),
      }
    case 'v':
      return {
        kind: 'visit',
        ...h,
        date: s.d,
        occasion: s.o,
        campaignYear: s.y,
        personId: s.p,
        unitName: s.u,
        village: s.l,
        category: s.c,
        visitors: s.w,
        cashFen: s.f ?? 0,
        goods: (s.g ?? []).map(([name, quantity, unit]) => ({ name, quantity, unit })),
        needs: s.nd,
        followUp: s.fu,
        resolvedAt: s.rs,
        notes: s.nt,
      }
    case 'm': {
      const texts = legacyPaymentNotes(s)
      return {
        kind: 'payment',
        ...h,
        personId: s.p,
        year: s.y,
        amountFen: s.f,
        date: s.d,
        householdType: s.h,
        standardFen: s.s,
        village: s.l,
        ...(texts.topUp && { topUp: true }),
        notes: texts.notes,
      }
    }
    case 'a': {
      const texts = legacyActivityTexts(s)
      return {
        kind: 'activity',
        ...h,
        activityKind: s.t,
        date: s.d,
        year: s.y,
        count: s.n,
        village: s.l,
        siteKind: s.sk,
        unitName: texts.unitName,
        title: texts.title,
        notes: texts.notes,
      }
    }
  }
}

function storedHeader(r: AnyRecord) {
  return {
    b: r.createdBy,
    a: Date.parse(r.createdAt),
    ...(r.withdrawnBy && r.withdrawnAt && { x: withdrawalTuple(r) }),
  }
}

function withdrawalTuple(r: AnyRecord): StoredRecord['x'] {
  const at = Date.parse(r.withdrawnAt!)
  return r.withdrawReason === undefined
    ? [r.withdrawnBy!, at]
    : [r.withdrawnBy!, at, r.withdrawReason]
}

function removalTuple(removal: Removal): StoredPerson['xr'] {
  return removal.note === undefined ? [removal.reason] : [removal.reason, removal.note]
}

/**
 * The stored JSON of `record` (its id is not included). A person's masked fields are ignored:
 * its phone and ID number come from `secrets`, already sealed.
 */
export function encodeRecord(record: AnyRecord, secrets: PersonSecrets = {}): string {
  // Validate what we write with the schema we read with, so a bad write fails here, not later.
  return JSON.stringify(storedRecordSchema.parse(storedFormOf(record, secrets)))
}

/**
 * The stored JSON of a visit or payment its store has just built from an input it parsed
 * (visitInputSchema, paymentInputSchema) and from records it read through the stored schema.
 * Those schemas are at least as strict as the stored one for every field, so parsing again
 * would only repeat them, on the busiest path (about 2% of a visit's CPU). The property test
 * in test/records/added-records.test.ts holds the stores to that: whatever an add accepts
 * reads back through parseStored. Changes (修改, 撤销) use encodeRecord, which parses.
 */
export function encodeAdded(record: Visit | AllowancePayment): string {
  return JSON.stringify(storedFormOf(record, {}))
}

function storedFormOf(record: AnyRecord, secrets: PersonSecrets): StoredRecord {
  let stored: StoredRecord
  switch (record.kind) {
    case 'person':
      stored = {
        k: 'p',
        ...storedHeader(record),
        n: record.name,
        l: record.village,
        c: record.category,
        g: record.disability?.grade,
        lg: record.disability?.legacyLabel,
        h: record.householdType,
        e: record.enlistedAt,
        co: record.cohort,
        sn: record.soldierName,
        ph: secrets.phoneSealed,
        pm: secrets.phoneMac,
        in: secrets.idNumberSealed,
        im: secrets.idNumberMac,
        nt: record.notes,
        xr: record.removal && removalTuple(record.removal),
      }
      break
    case 'visit':
      stored = {
        k: 'v',
        ...storedHeader(record),
        d: record.date,
        o: record.occasion,
        y: record.campaignYear,
        p: record.personId,
        u: record.unitName,
        l: record.village,
        c: record.category,
        w: record.visitors,
        f: record.cashFen === 0 ? undefined : record.cashFen,
        g:
          record.goods.length === 0
            ? undefined
            : record.goods.map((g) => [g.name, g.quantity, g.unit] as [string, number, string]),
        nd: record.needs,
        fu: record.followUp,
        rs: record.resolvedAt,
        nt: record.notes,
      }
      break
    case 'payment':
      stored = {
        k: 'm',
        ...storedHeader(record),
        p: record.personId,
        y: record.year,
        f: record.amountFen,
        d: record.date,
        h: record.householdType,
        s: record.standardFen,
        l: record.village,
        tu: record.topUp ? 1 : undefined,
        nt: record.notes,
      }
      break
    case 'activity':
      stored = {
        k: 'a',
        ...storedHeader(record),
        t: record.activityKind,
        d: record.date,
        y: record.year,
        n: record.count,
        l: record.village,
        sk: record.siteKind,
        u: record.unitName,
        ti: record.title,
        nt: record.notes,
      }
      break
  }
  return stored
}
