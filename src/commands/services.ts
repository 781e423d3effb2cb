import type { FormEngine } from '../bot/forms.js'
import type { ActivityStore } from '../records/activity-store.js'
import type { AllowanceStore } from '../records/allowance-store.js'
import type { GroupStore } from '../records/group-store.js'
import type { PeopleStore } from '../records/people-store.js'
import type { RecordStore } from '../records/record-store.js'
import type { RoleStore } from '../records/role-store.js'
import type { TallyReader } from '../records/tally-reader.js'
import type { VillageStore } from '../records/village-store.js'
import type { VisitStore } from '../records/visit-store.js'
import type { WorkCalendar } from '../reminders/calendar.js'

/** What the record commands work with; built once in compose.ts. */
export interface RecordServices {
  people: PeopleStore
  visits: VisitStore
  allowances: AllowanceStore
  activities: ActivityStore
  villages: VillageStore
  records: RecordStore
  tallies: TallyReader
  roles: RoleStore
  groups: GroupStore
  calendar: WorkCalendar
  /** BOT_TIMEZONE: every date a user types or reads is in it. */
  timezone: string
}

/** Record services plus the form engine, which the record commands start forms on. */
export interface CommandServices extends RecordServices {
  forms: () => FormEngine
}
