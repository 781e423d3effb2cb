import { UserFacingError } from '../errors.js'
import { isCampaignOccasion } from '../occasions.js'
import type { Keys } from './keys.js'
import type { VillageProgress } from './tally-reader.js'
import { DuplicateRecordError } from './duplicate-error.js'
import { unknownVillage } from './people-store.js'
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
  CATEGORIES,
  TOWNSHIP,
  visitInputSchema,
  type Occasion,
  type Person,
  type Visit,
  type VisitInput,
  type WriteMeta,
} from './schemas.js'
import { encodeAdded } from './stored-record.js'
import { TallyFields } from './tally-fields.js'
import { WritePlan, fieldGroup, type FieldGroup } from './write-plan.js'

/**
 * Visits (走访/慰问) to households and units. Each add updates, in one script, the record,
 * the campaign's index, its counters and its distinct-household hashes (tally-reader.ts).
 */
export class VisitStore {
  private readonly writer: RecordWriter
  private readonly records: RecordStore

  constructor(private readonly deps: RecordStoreDeps) {
    this.writer = new RecordWriter(deps)
    this.records = new RecordStore(deps)
  }

  /**
   * Records a visit to an active person (village and category taken from them) or to a unit
   * (village optional: none = TOWNSHIP). Cash is integer fen. Throws UserFacingError for a
   * missing or removed person, a village that is not the person's, a person outside
   * `options.villages` (a cadre's scope) or an unknown village. Throws DuplicateRecordError
   * when the person already has an active visit of this occasion on this day, unless
   * `options.allowDuplicate` (the user confirmed). `options.snapshot` is the person as the
   * caller's look-up read them: the write guards on it rather than reading them again (a stale
   * one fails the guard, and the retry reads afresh). Returns the person as read for the write,
   * so the caller need not read them again. `openProgress` is the village's progress as the
   * write left it, counted as the due set of a campaign still open counts it (the distinct
   * households less the removed people among them, of the people on the roster): read in the
   * write script, so it costs no round trip. For a campaign that has ended the due set is
   * frozen and TallyReader.readVillageProgress must be asked instead (the caller knows today).
   */
  async addVisit(
    input: VisitInput,
    meta: WriteMeta,
    options: {
      villages?: readonly string[]
      allowDuplicate?: boolean
      snapshot?: PersonSnapshot
    } = {},
  ): Promise<WriteResult<Visit> & { person?: Person; openProgress?: VillageProgress }> {
    const { keys } = this.deps
    const { personId, village: givenVillage, ...fields } = visitInputSchema.parse(input)
    let visited: Person | undefined
    let written: Visit | undefined
    // Used by the first attempt only: an attempt that lost the compare-and-set reads afresh.
    let snapshot =
      personId === undefined ? undefined : loadedFromSnapshot(personId, options.snapshot)
    const outcome = await this.writer.write(meta, async () => {
      const plan = new WritePlan('new')
      let village = givenVillage ?? TOWNSHIP
      let category: Visit['category']
      if (personId !== undefined) {
        const loaded = snapshot ?? (await this.records.load(personId))
        snapshot = undefined
        const person = loaded?.record
        if (!loaded || person?.kind !== 'person') {
          throw new UserFacingError(`没有找到对象 #${personId}。`)
        }
        if (person.status === 'withdrawn') {
          throw new UserFacingError(`对象 #${personId} ${person.name} 已移除，不能登记走访。`)
        }
        if (options.villages && !options.villages.includes(person.village)) {
          throw new UserFacingError(`${person.name}在${person.village}，不在您负责的村，未登记。`)
        }
        if (givenVillage !== undefined && givenVillage !== person.village) {
          throw new UserFacingError(
            `${person.name}（#${personId}）属于${person.village}，不是${givenVillage}。`,
          )
        }
        village = person.village
        category = person.category
        visited = person
        // The snapshot of village and category must match the person as stored right now.
        plan.requireUnchanged(keys.records(), String(personId), loaded.raw, 'retry')
        if (!options.allowDuplicate) {
          plan.requireField(
            keys.campaignVisitDays(fields.campaignYear, fields.occasion),
            TallyFields.visitDay(personId, fields.date),
            false,
            () => this.sameDayVisit(personId, fields),
          )
        }
      } else {
        if (givenVillage !== undefined) {
          plan.requireMember(keys.villages(), givenVillage, true, unknownVillage(givenVillage))
        }
        // A unit's same-day repeat is held as a person's is, on its name's field.
        if (!options.allowDuplicate && fields.unitName !== undefined) {
          plan.requireField(
            keys.campaignVisitDays(fields.campaignYear, fields.occasion),
            TallyFields.unitVisitDay(fields.unitName, fields.date),
            false,
            () => this.sameDayVisit(undefined, fields),
          )
        }
      }
      const visit: Visit = {
        id: 0,
        kind: 'visit',
        createdBy: meta.actor,
        createdAt: meta.at.toISOString(),
        status: 'active',
        ...fields,
        personId,
        village,
        category,
      }
      plan
        .applyEffects([], effectsOf(keys, visit, '$id'), this.records.ownerTaken)
        .rpush(keys.campaignVisits(visit.campaignYear, visit.occasion), '$id')
        .sadd(keys.periods(), TallyFields.period.campaign(visit.campaignYear, visit.occasion))
      if (category && isCampaignOccasion(visit.occasion)) readProgressAfter(keys, plan, visit)
      written = visit
      return { plan, action: 'visit.add', after: encodeAdded(visit) }
    })
    const progress = outcome?.readAfter?.length ? openProgressOf(outcome.readAfter) : undefined
    return Object.assign({}, addResult(this.records, outcome, 'visit', written), {
      person: visited,
      ...(progress && { openProgress: progress }),
    })
  }

  /**
   * The active visit that a same-day repeat of `visit` to `personId` (or, without one, to
   * its unit) repeats.
   */
  private async sameDayVisit(
    personId: number | undefined,
    visit: Pick<Visit, 'campaignYear' | 'occasion' | 'date' | 'unitName'>,
  ): Promise<Error> {
    const unitName = personId === undefined ? visit.unitName : undefined
    for await (const earlier of this.recordsOfCampaign(visit.campaignYear, visit.occasion)) {
      if (
        earlier.personId === personId &&
        earlier.unitName === unitName &&
        earlier.date === visit.date
      ) {
        return new DuplicateRecordError(earlier)
      }
    }
    // The guard saw a visit the list walk did not (withdrawn meanwhile): the caller may retry.
    return new UserFacingError('刚才有人同时登记了这次走访，请稍后再发一次。')
  }

  /**
   * The visits whose need is still open (帮扶 待办) in `villages` (every registered village and
   * the township's own when omitted), oldest first. Reads only the open cases' index.
   */
  async openHelpCases(villages?: readonly string[]): Promise<Visit[]> {
    const { redis, keys } = this.deps
    const scope = villages ?? [...(await redis.smembers(keys.villages())), TOWNSHIP]
    const found = await Promise.all(
      scope.map((v) => this.records.getIndexed(keys.openHelpCases(v))),
    )
    return found
      .flat()
      .filter(
        (r): r is Visit =>
          r.kind === 'visit' && r.status === 'active' && !!r.needs && !r.resolvedAt,
      )
      .sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id)
  }

  /**
   * How many needs are still open (帮扶 待办) in `villages` (every registered village and the
   * township's own when omitted): the size of each open cases' index, no record read. The
   * index holds exactly the active visits with an open need (record-effects.ts).
   */
  async countOpenHelpCases(villages?: readonly string[]): Promise<number> {
    const { redis, keys } = this.deps
    const scope = villages ?? [...(await redis.smembers(keys.villages())), TOWNSHIP]
    const sizes = await Promise.all(scope.map((v) => redis.scard(keys.openHelpCases(v))))
    return sizes.reduce((a, b) => a + b, 0)
  }

  /** The visit `#id`, or undefined when it is not a visit. */
  getVisit(id: number): Promise<Visit | undefined> {
    return this.records.getOfKind(id, 'visit')
  }

  /**
   * The visits of one campaign in the order they were logged (the 台账), read in pages from
   * the campaign's index. Withdrawn visits are left out unless `includeWithdrawn`.
   */
  async *recordsOfCampaign(
    year: number,
    occasion: Occasion,
    options: { includeWithdrawn?: boolean } = {},
  ): AsyncGenerator<Visit> {
    const list = this.deps.keys.campaignVisits(year, occasion)
    for await (const visit of this.records.walkList(list, 'visit', options.includeWithdrawn)) {
      // A visit corrected to another occasion or year stays listed here (lists only grow).
      if (visit.campaignYear === year && visit.occasion === occasion) yield visit
    }
  }
}

/**
 * Asks the write script for the village's progress in the visit's campaign, as the due set of
 * an open campaign counts it (DueStore.campaignFigures): per category the distinct visited
 * households, the people on the roster, and the removed people among the visited.
 */
function readProgressAfter(keys: Keys, plan: WritePlan, visit: Visit): void {
  const { campaignYear: year, occasion, village } = visit
  const fields = progressFieldsOf(village)
  plan
    .readAfterGroup(keys.campaignTally(year, occasion), fields.households)
    .readAfterGroup(keys.rosterTally(), fields.roster)
    .readAfterMembersIn(
      keys.removedPeople(village),
      keys.campaignVisited(year, occasion, village),
      CATEGORIES.length,
    )
}

// A village's progress fields are the same on every visit there, so they are made once per
// village: 24 names on every visit were 3.5 µs in a loop. Villages are the registered ones, but
// the map is bounded all the same.
const progressFields = new Map<string, { households: FieldGroup; roster: FieldGroup }>()

function progressFieldsOf(village: string): { households: FieldGroup; roster: FieldGroup } {
  let fields = progressFields.get(village)
  if (!fields) {
    if (progressFields.size >= 5000) progressFields.clear()
    fields = {
      households: fieldGroup(CATEGORIES.map((c) => TallyFields.campaign.households(village, c))),
      roster: fieldGroup(CATEGORIES.map((c) => TallyFields.roster.villageCategory(village, c))),
    }
    progressFields.set(village, fields)
  }
  return fields
}

/** readProgressAfter's values as households visited of those due. */
function openProgressOf(reads: readonly (string | null)[]): VillageProgress {
  const n = CATEGORIES.length
  const removed = (reads[2 * n] ?? '').split(',').map(Number)
  let households = 0
  let entitled = 0
  for (let c = 0; c < n; c++) {
    households += Number(reads[c] ?? 0) - (removed[c] ?? 0)
    entitled += Number(reads[n + c] ?? 0)
  }
  return { households, entitled }
}
