import { randomUUID } from 'node:crypto'
import type { RecordServices } from '../commands/services.js'
import { defaultCampaign, seasonYear, type Occasion } from '../occasions.js'
import { DuplicateRecordError } from '../records/duplicate-error.js'
import {
  standardFenFor,
  type AllowanceStandard,
  type Category,
  type Person,
  type WriteMeta,
} from '../records/schemas.js'
import { campaignWindow } from '../reminders/calendar.js'
import type { Clock } from '../time/clock.js'
import { addDays, daysBetween, localDateOf, type LocalDate } from '../time/local-date.js'
import { userKeyOf } from '../user-key.js'
import {
  DEMO_ACTIVITIES,
  DEMO_CADRES,
  DEMO_DEADLINE,
  DEMO_LEADER,
  DEMO_PEOPLE,
  DEMO_RECENT_VISITS,
  DEMO_STANDARDS,
  DEMO_UNIT_VISIT,
  DEMO_USERS,
  DEMO_VILLAGES,
} from './demo-township.js'

export interface DemoLoaderDeps {
  services: Pick<
    RecordServices,
    'people' | 'villages' | 'visits' | 'allowances' | 'activities' | 'roles' | 'timezone'
  >
  now: Clock
}

/** What was written this time (a resumed load counts only what was missing). */
export interface DemoCounts {
  villages: number
  people: number
  visits: number
  payments: number
  activities: number
  users: number
}

export type DemoOutcome =
  | { status: 'loaded'; written: DemoCounts; year: number }
  /** Loaded before, completely: nothing was written. */
  | { status: 'already' }
  /** The roster holds people that are not the demo's: a real township is never mixed with it. */
  | { status: 'refused'; people: number }

const personKey = (p: { name: string; village: string }) => `${p.village}|${p.name}`

/**
 * Writes the demo township (demo-township.ts) through the real stores, as `requester`: the
 * villages, people, this year's and last year's standards and deadlines, the latest 八一
 * campaign's visits, a running 春节/元旦 campaign's first visits, recent everyday visits,
 * payments and activities, then the cadres' and the leader's roles. Visits and payments are
 * written as the village's cadre, so that cadre may 撤销 or 修改 them. Dates come from `now`.
 *
 * Idempotent: every write has a fixed idempotency key and an existence check (a person by
 * name and village, a visit or payment by the store's duplicate guard), so a load cut short is
 * finished by the next one; the leader's role is written last and marks a complete load.
 */
export async function loadDemoTownship(
  deps: DemoLoaderDeps,
  requester: string,
): Promise<DemoOutcome> {
  const { people, roles } = deps.services
  const roster = await people.listPeople()
  const demo = new Set(DEMO_PEOPLE.map(personKey))
  const leader = await roles.get(userKeyOf('sandbox', DEMO_LEADER.id))
  if (roster.length > 0 && leader?.role === 'leader') return { status: 'already' }
  if (roster.some((p) => !demo.has(personKey(p)))) {
    return { status: 'refused', people: roster.length }
  }
  return new DemoWriter(deps, requester, roster).write()
}

/** One load: the clock read once, so every date and the write meta agree. */
class DemoWriter {
  private readonly at: Date
  private readonly today: LocalDate
  private readonly year: number
  private readonly written: DemoCounts = {
    villages: 0,
    people: 0,
    visits: 0,
    payments: 0,
    activities: 0,
    users: 0,
  }
  private readonly found: Map<string, Person>

  constructor(
    private readonly deps: DemoLoaderDeps,
    private readonly requester: string,
    roster: readonly Person[],
  ) {
    this.at = deps.now()
    this.today = localDateOf(this.at, deps.services.timezone)
    this.year = Number(this.today.slice(0, 4))
    this.found = new Map(roster.map((p) => [personKey(p), p]))
  }

  async write(): Promise<DemoOutcome> {
    await this.villages()
    await this.roster()
    await this.allowanceConfig()
    await this.bayiCampaign()
    await this.runningCampaign()
    await this.recentVisits()
    await this.payments()
    await this.activities()
    await this.users()
    return { status: 'loaded', written: this.written, year: this.year }
  }

  private meta(key: string, actor = this.requester): WriteMeta {
    return { actor, at: this.at, idempotencyKey: `demo|${key}` }
  }

  private async villages(): Promise<void> {
    // One at a time and in order: the township's order is the order villages are added.
    for (const village of DEMO_VILLAGES) {
      const { created } = await this.deps.services.villages.addVillage(
        village,
        this.meta(`village|${village}`),
      )
      if (created) this.written.villages++
    }
  }

  private async roster(): Promise<void> {
    for (const person of DEMO_PEOPLE) {
      if (this.found.has(personKey(person))) continue
      const { record, created } = await this.deps.services.people.addPerson(
        {
          name: person.name,
          village: person.village,
          category: person.category,
          ...(person.disability && { disability: person.disability }),
          ...(person.householdType && { householdType: person.householdType }),
          ...(person.phone && { phone: person.phone }),
          ...(person.soldier && {
            soldierName: person.soldier.name,
            enlistedAt: `${this.year - person.soldier.enlistedYearsBack}-09-15`,
          }),
        },
        this.meta(`person|${personKey(person)}`),
      )
      this.found.set(personKey(person), record)
      if (created) this.written.people++
    }
  }

  private async allowanceConfig(): Promise<void> {
    const { allowances } = this.deps.services
    const years: [number, AllowanceStandard][] = [
      [this.year - 1, DEMO_STANDARDS.lastYear],
      [this.year, DEMO_STANDARDS.thisYear],
    ]
    for (const [year, standard] of years) {
      await allowances.setAllowanceStandard(year, standard, this.meta(`standard|${year}`))
      await allowances.setAllowanceDeadline(
        year,
        `${year}-${DEMO_DEADLINE}`,
        this.meta(`deadline|${year}`),
      )
    }
  }

  /**
   * The latest 八一 campaign that has started: everyone but the `unvisited` is visited, the
   * dates spread over its window up to today, and the leader visits the garrison.
   */
  private async bayiCampaign(): Promise<void> {
    const thisYears = campaignWindow('八一', this.year)
    const year = thisYears.start <= this.today ? this.year : this.year - 1
    const { start, end } = campaignWindow('八一', year)
    const last = end < this.today ? end : this.today
    const span = daysBetween(start, last) + 1
    let n = 0
    for (const person of DEMO_PEOPLE) {
      if (person.unvisited) continue
      await this.visit(person, {
        date: addDays(start, (n++ * 5) % span),
        occasion: '八一',
        campaignYear: year,
        cashYuan: cashFor(person.category),
        goods: [
          { name: '米', quantity: 1, unit: '袋' },
          { name: '油', quantity: 1, unit: '桶' },
        ],
        ...(person.need && { needs: person.need }),
        key: `visit|八一|${year}|${personKey(person)}`,
      })
    }
    const { unitName, cashYuan, goods } = DEMO_UNIT_VISIT
    await this.add(() =>
      this.deps.services.visits.addVisit(
        {
          date: last,
          occasion: '八一',
          campaignYear: year,
          unitName,
          visitors: [DEMO_LEADER.id],
          cashFen: cashYuan * 100,
          goods: goods.map((g) => ({ ...g })),
        },
        this.meta(`visit|八一|${year}|unit`, userKeyOf('sandbox', DEMO_LEADER.id)),
      ),
    )
  }

  /** A 春节 or 元旦 campaign running today gets its first visits, so 统计 shows it moving. */
  private async runningCampaign(): Promise<void> {
    const campaign = defaultCampaign(this.today)
    if (campaign.occasion === '八一') return
    const { start, end } = campaignWindow(campaign.occasion, campaign.year)
    if (this.today < start || this.today > end) return
    const span = daysBetween(start, this.today) + 1
    const first = DEMO_PEOPLE.filter((p) => DEMO_CADRES[0]!.villages.includes(p.village)).slice(
      0,
      6,
    )
    for (const [i, person] of first.entries()) {
      await this.visit(person, {
        date: addDays(start, (i * 3) % span),
        occasion: campaign.occasion,
        campaignYear: campaign.year,
        cashYuan: 500,
        goods: [{ name: '春联', quantity: 1, unit: '副' }],
        key: `visit|${campaign.occasion}|${campaign.year}|${personKey(person)}`,
      })
    }
  }

  private async recentVisits(): Promise<void> {
    for (const recent of DEMO_RECENT_VISITS) {
      const date = addDays(this.today, -recent.daysAgo)
      await this.visit(recent, {
        date,
        occasion: recent.occasion,
        campaignYear: seasonYear(recent.occasion, date),
        cashYuan: recent.cashYuan,
        goods: [],
        ...(recent.need && { needs: recent.need }),
        key: `visit|${recent.occasion}|${personKey(recent)}`,
      })
    }
  }

  /** Last year every family was paid; this year all but the `unpaid`, dated up to today. */
  private async payments(): Promise<void> {
    const families = DEMO_PEOPLE.filter((p) => p.category === '义务兵家庭')
    for (const year of [this.year - 1, this.year]) {
      const standard = year === this.year ? DEMO_STANDARDS.thisYear : DEMO_STANDARDS.lastYear
      for (const [i, family] of families.entries()) {
        if (year === this.year && family.unpaid) continue
        const person = this.person(family)
        const planned: LocalDate = `${year}-07-${String(5 + i).padStart(2, '0')}`
        await this.add(
          () =>
            this.deps.services.allowances.addPayment(
              {
                personId: person.id,
                year,
                amountFen: standardFenFor(standard, family.householdType ?? '农村'),
                date: planned < this.today ? planned : this.today,
              },
              this.meta(`payment|${year}|${personKey(family)}`, this.cadreOf(family.village)),
            ),
          'payments',
        )
      }
    }
  }

  private async activities(): Promise<void> {
    for (const activity of DEMO_ACTIVITIES) {
      const planned: LocalDate = `${this.year}-${activity.monthDay}`
      const { kind, monthDay, ...rest } = activity
      await this.add(
        () =>
          this.deps.services.activities.addActivity(
            {
              activityKind: kind,
              date: planned < this.today ? planned : this.today,
              year: this.year,
              ...rest,
            },
            this.meta(`activity|${kind}|${monthDay}`),
          ),
        'activities',
      )
    }
  }

  /** Cadres first, the leader last: a leader's binding marks the load complete. */
  private async users(): Promise<void> {
    const { roles } = this.deps.services
    for (const user of DEMO_USERS) {
      const key = userKeyOf('sandbox', user.id)
      const current = await roles.get(key)
      if (current?.role === user.role && sameVillages(current.villages, user.villages)) continue
      await roles.set(
        key,
        {
          role: user.role,
          villages: [...user.villages],
          setBy: this.requester,
          setAt: this.at.toISOString(),
        },
        // A fresh key per load: a role an admin took away is given back by a new load (the
        // check above keeps a load from setting one twice; a repeated HSET would be harmless).
        this.meta(`role|${user.id}|${randomUUID()}`),
      )
      this.written.users++
    }
  }

  private async visit(
    who: { name: string; village: string },
    visit: {
      date: LocalDate
      occasion: Occasion
      campaignYear: number
      cashYuan: number
      goods: { name: string; quantity: number; unit: string }[]
      needs?: string
      key: string
    },
  ): Promise<void> {
    const { key, cashYuan, ...fields } = visit
    const cadre = this.cadreOf(who.village)
    await this.add(() =>
      this.deps.services.visits.addVisit(
        Object.assign({}, fields, {
          personId: this.person(who).id,
          visitors: [cadre.slice('sandbox:'.length)],
          cashFen: cashYuan * 100,
        }),
        this.meta(key, cadre),
      ),
    )
  }

  /** Runs one record write; a duplicate the store holds back is one written before. */
  private async add(
    write: () => Promise<{ created: boolean }>,
    count: 'visits' | 'payments' | 'activities' = 'visits',
  ): Promise<void> {
    try {
      if ((await write()).created) this.written[count]++
    } catch (err) {
      if (!(err instanceof DuplicateRecordError)) throw err
    }
  }

  private person(who: { name: string; village: string }): Person {
    const person = this.found.get(personKey(who))
    if (!person) throw new Error(`demo person ${personKey(who)} was not written`)
    return person
  }

  private cadreOf(village: string): string {
    const cadre = DEMO_CADRES.find((c) => c.villages.includes(village)) ?? DEMO_LEADER
    return userKeyOf('sandbox', cadre.id)
  }
}

/** 慰问金 by category: families of the fallen and disabled veterans a little more. */
function cashFor(category: Category): number {
  if (category === '烈士遗属' || category === '因公牺牲军人遗属' || category === '病故军人遗属') {
    return 800
  }
  return category === '残疾军人' ? 600 : 500
}

function sameVillages(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v))
}
