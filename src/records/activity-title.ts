import { TOWNSHIP, type Activity } from './schemas.js'
import { TallyFields } from './tally-fields.js'

// The unit a 慰问部队 went to is kept as the activity's notes (stored activities have no unit
// field): 「武警中队」, or 「武警中队；<备注>」 with a note (docs/lookups.md). Typed text never
// holds this separator: the full-width 「；」 a cadre types is folded to 「;」 on the way in.
const UNIT_NOTE_SEPARATOR = '；'

/** The notes of an activity with `unit` (a 慰问部队's) and the cadre's `note`. */
export function unitNotes(unit: string | undefined, note: string | undefined): string | undefined {
  if (unit && note) return `${unit}${UNIT_NOTE_SEPARATOR}${note}`
  return unit ?? note
}

/** The unit and the note of a 慰问部队's notes. */
export function splitUnitNotes(notes: string): [string, string | undefined] {
  const at = notes.indexOf(UNIT_NOTE_SEPARATOR)
  return at < 0 ? [notes, undefined] : [notes.slice(0, at), notes.slice(at + 1) || undefined]
}

/** The unit a 慰问部队 went to, or undefined for another kind. */
export function unitOf(activity: Pick<Activity, 'activityKind' | 'notes'>): string | undefined {
  if (activity.activityKind !== '慰问部队' || !activity.notes) return undefined
  return splitUnitNotes(activity.notes)[0]
}

/**
 * The cadre's own note of an activity: a 慰问部队's notes less the unit at their start, so a
 * `修改 #N 备注 …` changes the note and keeps the unit.
 */
export function noteOf(activity: Pick<Activity, 'activityKind' | 'notes'>): string | undefined {
  if (activity.activityKind !== '慰问部队' || !activity.notes) return activity.notes
  return splitUnitNotes(activity.notes)[1]
}

/**
 * What an activity is, for telling a repeat from another one the same day in the same village
 * (docs/decisions.md, "An activity sent twice"): its kind, with the site kind of a 共建点 and
 * the unit of a 慰问部队 (`座谈会`, `共建点 学校`, `慰问部队 武警中队`).
 */
export function activityTitle(
  activity: Pick<Activity, 'activityKind' | 'siteKind' | 'notes'>,
): string {
  const detail = activity.siteKind ?? unitOf(activity)
  return detail ? `${activity.activityKind} ${detail}` : activity.activityKind
}

/**
 * The field of the year's activity counters (keys.activityTally) that counts the active
 * activities like `activity`: its village (or the township's), date and title. An add or a 修改
 * that would make it two is held (ActivityStore.addActivity) or refused (RecordStore.correct).
 */
export function activityDayField(
  activity: Pick<Activity, 'activityKind' | 'siteKind' | 'notes' | 'village' | 'date'>,
): string {
  return TallyFields.activity.day(
    activity.village ?? TOWNSHIP,
    activity.date,
    activityTitle(activity),
  )
}
