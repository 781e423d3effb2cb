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

// The name a cadre wrote for an activity of another kind, when it is a longer form of the kind
// (双拥晚会, 迎春座谈会: docs/decisions.md, "The name written"), is kept at the start of its
// notes the same way, always followed by the separator: `双拥晚会；` or `双拥晚会；<备注>`. Notes
// stored before have no separator, so they stay the note they were.

/** The notes of an activity of another kind than 慰问部队 with its written `title` and `note`. */
export function titledNotes(
  title: string | undefined,
  note: string | undefined,
): string | undefined {
  return title ? `${title}${UNIT_NOTE_SEPARATOR}${note ?? ''}` : note
}

/** The name the cadre wrote for an activity (`双拥晚会`), or undefined when it was the kind's. */
export function writtenTitleOf(
  activity: Pick<Activity, 'activityKind' | 'notes'>,
): string | undefined {
  if (activity.activityKind === '慰问部队' || !activity.notes) return undefined
  if (!activity.notes.includes(UNIT_NOTE_SEPARATOR)) return undefined
  return splitUnitNotes(activity.notes)[0] || undefined
}

/**
 * The cadre's own note of an activity: its notes less the unit of a 慰问部队 or the written name
 * of another kind at their start, so a `修改 #N 备注 …` changes the note and keeps those.
 */
export function noteOf(activity: Pick<Activity, 'activityKind' | 'notes'>): string | undefined {
  if (!activity.notes) return activity.notes
  if (activity.activityKind !== '慰问部队' && !activity.notes.includes(UNIT_NOTE_SEPARATOR))
    return activity.notes
  return splitUnitNotes(activity.notes)[1]
}

/** `activity`'s notes with its note replaced by `note`, keeping its unit or written name. */
export function withNote(
  activity: Pick<Activity, 'activityKind' | 'notes'>,
  note: string | undefined,
): string | undefined {
  if (activity.activityKind === '慰问部队') return unitNotes(unitOf(activity), note)
  return titledNotes(writtenTitleOf(activity), note)
}

/**
 * An activity as a reply names it: the name written (双拥晚会) or the kind, with the site kind
 * of a 共建点 and the unit of a 慰问部队. It is filed and counted under its kind (activityTitle).
 */
export function shownTitle(
  activity: Pick<Activity, 'activityKind' | 'siteKind' | 'notes'>,
): string {
  const title = writtenTitleOf(activity)
  return title
    ? activityTitle(activity).replace(activity.activityKind, title)
    : activityTitle(activity)
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
