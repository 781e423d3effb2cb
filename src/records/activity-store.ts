import { activityDayField as dayOf } from './activity-title.js'
import { DuplicateRecordError } from './duplicate-error.js'
import { UserFacingError } from '../errors.js'
import { unknownVillage } from './people-store.js'
import { effectsOf } from './record-effects.js'
import { RecordStore, addResult, type RecordStoreDeps, type WriteResult } from './record-store.js'
import { RecordWriter } from './record-writer.js'
import {
  activityInputSchema,
  type Activity,
  type ActivityInput,
  type WriteMeta,
} from './schemas.js'
import { encodeRecord } from './stored-record.js'
import { TallyFields } from './tally-fields.js'
import { UnitVisitReader } from './unit-visits.js'
import { WritePlan } from './write-plan.js'

/**
 * Activities of the year: 座谈会, 晚会, 表彰会, 慰问团, 军训 (count = students trained) and
 * 共建点 (co-building sites, by site kind). Counted per kind and village in one script.
 */
export class ActivityStore {
  private readonly writer: RecordWriter
  private readonly records: RecordStore
  /**
   * The visits to one unit (慰问部队 as a visit, 武警中队慰问了吗) read from its own same-day
   * entries (unit-visits.ts). Held here, the store of 慰问部队, until the composition root builds
   * it for RecordServices itself.
   */
  readonly units: UnitVisitReader

  constructor(private readonly deps: RecordStoreDeps) {
    this.writer = new RecordWriter(deps)
    this.records = new RecordStore(deps)
    this.units = new UnitVisitReader(deps)
  }

  /**
   * Records an activity; `count` is the people it reached, `village` absent = township level.
   * Throws a ZodError for invalid input, UserFacingError for an unknown village, and
   * DuplicateRecordError when the same activity (village, date and title: activityTitle) is
   * already active, unless `options.allowDuplicate` (the user confirmed). The write script's
   * guard on the year's day counter decides, so two cadres sending it at once cannot both pass.
   */
  async addActivity(
    input: ActivityInput,
    meta: WriteMeta,
    options: { allowDuplicate?: boolean } = {},
  ): Promise<WriteResult<Activity>> {
    const { keys } = this.deps
    const fields = activityInputSchema.parse(input)
    const outcome = await this.writer.write(meta, async () => {
      const activity: Activity = {
        id: 0,
        kind: 'activity',
        createdBy: meta.actor,
        createdAt: meta.at.toISOString(),
        status: 'active',
        ...fields,
      }
      const plan = new WritePlan('new')
      if (activity.village !== undefined) {
        plan.requireMember(
          keys.villages(),
          activity.village,
          true,
          unknownVillage(activity.village),
        )
      }
      if (!options.allowDuplicate) {
        plan.requireField(keys.activityTally(activity.year), dayOf(activity), false, () =>
          this.sameActivity(activity),
        )
      }
      plan
        .applyEffects([], effectsOf(keys, activity, '$id'), this.records.ownerTaken)
        .rpush(keys.yearActivities(activity.year), '$id')
        .sadd(keys.periods(), TallyFields.period.activity(activity.year))
      return { plan, action: 'activity.add', after: encodeRecord(activity) }
    })
    return addResult(this.records, outcome, 'activity')
  }

  /** The active activity that `activity` repeats (same village, date and title). */
  private async sameActivity(activity: Activity): Promise<Error> {
    const day = dayOf(activity)
    for await (const earlier of this.activitiesOfYear(activity.year)) {
      if (dayOf(earlier) === day) return new DuplicateRecordError(earlier)
    }
    // The guard saw one the walk did not (withdrawn meanwhile): the caller may send it again.
    return new UserFacingError('刚才有人同时登记了这个活动，请稍后再发一次。')
  }

  /** The activity `#id`, or undefined when it is not an activity. */
  getActivity(id: number): Promise<Activity | undefined> {
    return this.records.getOfKind(id, 'activity')
  }

  /** The activities of `year` in the order logged, read in pages. */
  activitiesOfYear(
    year: number,
    options: { includeWithdrawn?: boolean } = {},
  ): AsyncGenerator<Activity> {
    return this.records.walkList(
      this.deps.keys.yearActivities(year),
      'activity',
      options.includeWithdrawn,
    )
  }
}
