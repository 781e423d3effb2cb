import type { ActivityStore } from '../records/activity-store.js'
import type { AllowanceStore } from '../records/allowance-store.js'
import type { AsOf } from '../records/due-set.js'
import type { PeopleStore } from '../records/people-store.js'
import type { RoleStore } from '../records/role-store.js'
import type { RecordStore } from '../records/record-store.js'
import type { TallyReader } from '../records/tally-reader.js'
import { TOWNSHIP } from '../records/schemas.js'
import { compareVillages as comparePinyin } from '../records/village-order.js'
import type { VillageStore } from '../records/village-store.js'
import type { VisitStore } from '../records/visit-store.js'
import type { LocalDate } from '../time/local-date.js'
import { parseUserKey } from '../user-key.js'
import type { ExportRequest } from './export-link.js'
import type { SheetFrame } from './print-sheet.js'
import type { RosterChecks } from './roster-changes.js'

export interface XlsxExporterDeps {
  people: PeopleStore
  visits: VisitStore
  allowances: AllowanceStore
  /** The year's activities, for the 台账's 活动 sheet. */
  activities: ActivityStore
  records: RecordStore
  villages: VillageStore
  tallies: TallyReader
  /** BOT_TIMEZONE: dates and times in the sheets are local. */
  timezone: string
  /** Role bindings: the names given with 设置角色 stand in for accounts (登记人, 制表人). */
  roles?: RoleStore
  /** TOWNSHIP_NAME, for titles and the 制表单位. */
  townshipName?: string | undefined
  /** The annual roster check: the 花名册's 变动情况 sheet lists the changes since the last. */
  checks?: RosterChecks
}

/** What every sheet of one export reads: the request, the stores and the day it is made. */
export interface ExportContext {
  request: ExportRequest
  deps: XlsxExporterDeps
  timezone: string
  /** The download's day: 统计's figures of the same day (a closed campaign's frozen set). */
  asOf: AsOf
  inScope: (village: string) => boolean
  /** The title row and 制表 line of a sheet titled `××镇` + `title`. */
  frame: (title: string) => SheetFrame
  /**
   * Sorts rows by village in the township's order (the order villages were registered, as
   * every reply lists them), names it does not hold in pinyin order after them, 全镇 last.
   */
  compareVillages: (a: string, b: string) => number
  /**
   * 登记人, 制表人: the name given with 设置角色, else the asker's platform name for their own
   * records, else the account without its platform.
   */
  nameOf: (userKey: string) => string
}

export async function exportContext(
  request: ExportRequest,
  deps: XlsxExporterDeps,
  today: LocalDate,
): Promise<ExportContext> {
  const wanted = request.villages && new Set(request.villages)
  // One read of every binding: a township has tens of users, a ledger thousands of rows.
  const bindings = deps.roles ? await deps.roles.all() : new Map<string, { name?: string }>()
  const rank = new Map((await deps.villages.listVillages()).map((v, i) => [v, i]))
  const compareVillages = (a: string, b: string) => {
    if (a === b) return 0
    if (a === TOWNSHIP || b === TOWNSHIP) return a === TOWNSHIP ? 1 : -1
    const [ra, rb] = [rank.get(a), rank.get(b)]
    if (ra !== undefined && rb !== undefined) return ra - rb
    if (ra !== undefined || rb !== undefined) return ra !== undefined ? -1 : 1
    return comparePinyin(a, b)
  }
  const nameOf = (userKey: string) =>
    bindings.get(userKey)?.name ??
    (userKey === request.by && request.byName
      ? request.byName
      : (parseUserKey(userKey)?.userId ?? userKey))
  return {
    request,
    deps,
    timezone: deps.timezone,
    asOf: { today, timezone: deps.timezone },
    inScope: (village) => !wanted || wanted.has(village),
    compareVillages,
    frame: (title) => ({
      title: `${deps.townshipName ?? ''}${title}`,
      unit: deps.townshipName,
      preparer: nameOf(request.by),
      preparedOn: today,
    }),
    nameOf,
  }
}
