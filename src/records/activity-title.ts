import { TOWNSHIP, type Activity } from './schemas.js'
import { TallyFields } from './tally-fields.js'

// How an activity is named: by its kind, the site kind of a 共建点, the unit of a 慰问部队
// (`unitName`) and the name the cadre wrote (`title`, 双拥晚会: docs/decisions.md, "The name
// written"). Both were kept at the start of the notes before they were fields; stored-record.ts
// reads those old records apart.

/**
 * An activity as a reply names it: the name written (双拥晚会) or the kind, with the site kind
 * of a 共建点 and the unit of a 慰问部队. It is filed and counted under its kind (activityTitle).
 */
export function shownTitle(
  activity: Pick<Activity, 'activityKind' | 'siteKind' | 'unitName' | 'title'>,
): string {
  const title = activityTitle(activity)
  return activity.title ? title.replace(activity.activityKind, activity.title) : title
}

/**
 * What an activity is, for telling a repeat from another one the same day in the same village
 * (docs/decisions.md, "An activity sent twice"): its kind, with the site kind of a 共建点 and
 * the unit of a 慰问部队 (`座谈会`, `共建点 学校`, `慰问部队 武警中队`). The name written is not
 * part of it: `活动 晚会 今天` after `活动 双拥晚会 今天` is the same gala.
 */
export function activityTitle(
  activity: Pick<Activity, 'activityKind' | 'siteKind' | 'unitName'>,
): string {
  const detail = activity.siteKind ?? activity.unitName
  return detail ? `${activity.activityKind} ${detail}` : activity.activityKind
}

/**
 * The field of the year's activity counters (keys.activityTally) that counts the active
 * activities like `activity`: its village (or the township's), date and title. An add or a 修改
 * that would make it two is held (ActivityStore.addActivity) or refused (RecordStore.correct).
 */
export function activityDayField(
  activity: Pick<Activity, 'activityKind' | 'siteKind' | 'unitName' | 'village' | 'date'>,
): string {
  return TallyFields.activity.day(
    activity.village ?? TOWNSHIP,
    activity.date,
    activityTitle(activity),
  )
}
