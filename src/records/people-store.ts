import { UserFacingError } from '../errors.js'
import { normalizeIdNumber, normalizePhone, type Pii } from './pii.js'
import { effectsOf } from './record-effects.js'
import {
  RecordStore,
  addResult,
  withoutNulls,
  type ChangeResult,
  type IndexedReadOptions,
  type PersonSnapshot,
  type RecordStoreDeps,
  type WriteResult,
} from './record-store.js'
import { RecordWriter } from './record-writer.js'
import {
  personChangesSchema,
  personInputSchema,
  type AllowancePayment,
  type AnyRecord,
  type Category,
  type Person,
  type PersonChanges,
  type PersonInput,
  type Removal,
  type WriteMeta,
} from './schemas.js'
import { encodeRecord, type PersonSecrets } from './stored-record.js'
import { readVillagesInOrder } from './village-order.js'
import { WritePlan } from './write-plan.js'

/** The error for a write naming a village nobody registered. */
export function unknownVillage(village: string): () => Error {
  return () => new UserFacingError(`还没有登记“${village}”，请管理员先添加该村（社区）。`)
}

function sealPhone(pii: Pii, phone: string): PersonSecrets {
  const normalised = normalizePhone(phone)
  return { phoneSealed: pii.seal('phone', normalised), phoneMac: pii.mac('phone', normalised) }
}

function sealIdNumber(pii: Pii, idNumber: string): PersonSecrets {
  const normalised = normalizeIdNumber(idNumber)
  return {
    idNumberSealed: pii.seal('idNumber', normalised),
    idNumberMac: pii.mac('idNumber', normalised),
  }
}

/**
 * The roster of entitled people (优抚对象 花名册). Names are not unique; ID numbers are (one
 * active person per number). Phone and ID numbers are stored encrypted, indexed by HMAC, and
 * read back masked; revealPii gives the clear values to callers allowed to see them.
 */
export class PeopleStore {
  private readonly writer: RecordWriter
  private readonly records: RecordStore

  constructor(private readonly deps: RecordStoreDeps) {
    this.writer = new RecordWriter(deps)
    this.records = new RecordStore(deps)
  }

  /**
   * Adds a person to a registered village. Throws UserFacingError for an unknown village, a
   * malformed phone or ID number, or an ID number another active person holds.
   */
  async addPerson(input: PersonInput, meta: WriteMeta): Promise<WriteResult<Person>> {
    const { keys, pii } = this.deps
    const { phone, idNumber, ...fields } = personInputSchema.parse(input)
    const secrets: PersonSecrets = {
      ...(phone !== undefined && sealPhone(pii, phone)),
      ...(idNumber !== undefined && sealIdNumber(pii, idNumber)),
    }
    const outcome = await this.writer.write(meta, async () => {
      const person: Person = {
        id: 0, // allocated by the script; the stored JSON does not hold the id
        kind: 'person',
        createdBy: meta.actor,
        createdAt: meta.at.toISOString(),
        status: 'active',
        ...fields,
      }
      const plan = new WritePlan('new')
        .requireMember(keys.villages(), person.village, true, unknownVillage(person.village))
        .applyEffects([], effectsOf(keys, person, '$id', secrets), this.records.ownerTaken)
      return { plan, action: 'person.add', after: encodeRecord(person, secrets) }
    })
    return addResult(this.records, outcome, 'person')
  }

  /**
   * Changes a person's details; a new village or category moves them in the roster counters
   * (past visits stay counted where they happened). `null` clears an optional field.
   * Throws UserFacingError when the person is missing or removed, or for an unknown village.
   */
  async updatePerson(
    id: number,
    changes: PersonChanges,
    meta: WriteMeta,
  ): Promise<ChangeResult<Person>> {
    const { keys } = this.deps
    const { phone, idNumber, ...fields } = personChangesSchema.parse(changes)
    let current: Person | undefined
    const outcome = await this.writer.write(meta, async () => {
      const loaded = await this.records.load(id)
      if (!loaded || loaded.record.kind !== 'person') {
        throw new UserFacingError(`没有找到对象 #${id}。`)
      }
      current = loaded.record
      if (current.status === 'withdrawn') throw new UserFacingError(`对象 #${id} 已移除。`)
      const after = withoutNulls(current, fields)
      const secrets = this.changedSecrets(loaded.secrets, phone, idNumber)
      if (encodeRecord(after, secrets) === loaded.raw) return undefined
      const request = this.records.changeRequest(id, loaded, after, 'person.update', secrets)
      if (after.village !== current.village) {
        request.plan.requireMember(
          keys.villages(),
          after.village,
          true,
          unknownVillage(after.village),
        )
      }
      return request
    })
    if (!outcome) return { record: current!, changed: false }
    const record = await this.getPerson(id)
    return { record: record!, changed: outcome.status === 'applied' }
  }

  private changedSecrets(
    old: PersonSecrets,
    phone: string | null | undefined,
    idNumber: string | null | undefined,
  ): PersonSecrets {
    const { pii } = this.deps
    const out: PersonSecrets = Object.assign({}, old)
    if (phone === null) {
      delete out.phoneSealed
      delete out.phoneMac
    } else if (phone !== undefined) {
      const next = sealPhone(pii, phone)
      // Same number: keep the old ciphertext, so an unchanged update stays a no-op.
      if (next.phoneMac !== old.phoneMac) Object.assign(out, next)
    }
    if (idNumber === null) {
      delete out.idNumberSealed
      delete out.idNumberMac
    } else if (idNumber !== undefined) {
      const next = sealIdNumber(pii, idNumber)
      if (next.idNumberMac !== old.idNumberMac) Object.assign(out, next)
    }
    return out
  }

  /**
   * Removes a person from the roster (a withdrawal: kept and readable, out of every roster
   * count and index), with why they left (`removal`, stored on the record and so in the audit
   * entry). Their visits and payments stay. Throws UserFacingError when absent.
   */
  async removePerson(
    id: number,
    meta: WriteMeta,
    removal?: Removal,
  ): Promise<ChangeResult<Person>> {
    const existing = await this.records.getRecord(id)
    if (existing?.kind !== 'person') throw new UserFacingError(`没有找到对象 #${id}。`)
    const result = await this.records.withdraw(id, meta, removal)
    return result as ChangeResult<Person>
  }

  /** The person `#id` (removed ones too), or undefined when it is not a person. */
  getPerson(id: number): Promise<Person | undefined> {
    return this.records.getOfKind(id, 'person')
  }

  /** Every active person called exactly `name`, optionally only in `villages`. */
  async findPeopleByName(name: string, villages?: readonly string[]): Promise<Person[]> {
    return (await this.readPeopleByName(name, { villages })).map((s) => s.person)
  }

  /**
   * Like findPeopleByName, each with the stored JSON it was read from: the snapshot a visit or
   * payment to the one found passes to its write (PersonSnapshot), saving a second read.
   */
  async readPeopleByName(
    name: string,
    options: IndexedReadOptions & { villages?: readonly string[] } = {},
  ): Promise<PersonSnapshot[]> {
    const { villages, ...reading } = options
    const loaded = await this.records.loadIndexed(this.deps.keys.peopleByName(name.trim()), reading)
    const active = new Set(
      activeIn(
        loaded.map((l) => l.record),
        villages,
      ),
    )
    return loaded.flatMap((l) =>
      active.has(l.record as Person)
        ? [{ person: l.record as Person, raw: l.raw, decoded: l }]
        : [],
    )
  }

  /** The active person holding this ID number (any common spelling), or undefined. */
  async findPersonByIdNumber(idNumber: string): Promise<Person | undefined> {
    const { redis, keys, pii } = this.deps
    const mac = pii.mac('idNumber', normalizeIdNumber(idNumber))
    const id = await redis.hget(keys.peopleByIdNumber(), mac)
    return id === null ? undefined : this.getPerson(Number(id))
  }

  /** Every active person with this phone number (family members may share one). */
  async findPeopleByPhone(phone: string): Promise<Person[]> {
    const { redis, keys, pii } = this.deps
    const mac = pii.mac('phone', normalizePhone(phone))
    return this.activePeople(await redis.smembers(keys.peopleByPhone(mac)))
  }

  /**
   * The active people a new `input` may be a second entry of: the holder of its ID number,
   * those with its phone, and those of its name in its village (contract.md, Duplicates).
   */
  async likelyDuplicates(input: PersonInput): Promise<LikelyDuplicates> {
    const [idHolder, samePhone, sameName] = await Promise.all([
      input.idNumber === undefined ? undefined : this.findPersonByIdNumber(input.idNumber),
      input.phone === undefined ? [] : this.findPeopleByPhone(input.phone),
      this.findPeopleByName(input.name, [input.village]),
    ])
    return { idHolder, samePhone, sameName }
  }

  /**
   * `input` with its phone and ID number sealed as they are at rest, so a person waiting for
   * 「确认」 in a form's state holds no clear personal numbers; openPending reverses it.
   */
  sealPending(input: PersonInput): PersonInput {
    const { pii } = this.deps
    return {
      ...input,
      ...(input.phone !== undefined && { phone: pii.seal('phone', input.phone) }),
      ...(input.idNumber !== undefined && { idNumber: pii.seal('idNumber', input.idNumber) }),
    }
  }

  /** The clear `input` sealPending sealed. Throws when it was sealed under another SECRET_KEY. */
  openPending(input: PersonInput): PersonInput {
    const { pii } = this.deps
    return {
      ...input,
      ...(input.phone !== undefined && { phone: pii.open('phone', input.phone) }),
      ...(input.idNumber !== undefined && { idNumber: pii.open('idNumber', input.idNumber) }),
    }
  }

  /**
   * The active people of `villages` (all registered villages when omitted), optionally of one
   * category, by village then record number. Cost grows with those villages' rosters.
   */
  async listPeople(
    filter: { villages?: readonly string[]; category?: Category } = {},
  ): Promise<Person[]> {
    const { redis, keys } = this.deps
    const villages = filter.villages ?? (await readVillagesInOrder(redis, keys))
    const rosters = await Promise.all(villages.map((v) => redis.smembers(keys.roster(v))))
    const order = new Map(villages.map((v, i) => [v, i]))
    const people = await this.activePeople(rosters.flat(), villages)
    return people
      .filter((p) => filter.category === undefined || p.category === filter.category)
      .sort((a, b) => order.get(a.village)! - order.get(b.village)! || a.id - b.id)
  }

  /**
   * People removed from the roster of `villages` (every registered village when omitted) with
   * exactly this name, newest first: what a look-up that found nobody active says instead of
   * guessing another name (docs/lookups.md). Reads the villages' removed sets, so it is asked
   * only on such a miss.
   */
  async findRemovedByName(name: string, villages?: readonly string[]): Promise<Person[]> {
    const { redis, keys } = this.deps
    const scope = villages ?? (await readVillagesInOrder(redis, keys))
    const sets = await Promise.all(scope.map((v) => redis.smembers(keys.removedPeople(v))))
    const records = await this.records.getRecords(sets.flat().map(Number))
    return records
      .filter(
        (r): r is Person =>
          r.kind === 'person' &&
          r.status === 'withdrawn' &&
          r.name === name &&
          scope.includes(r.village),
      )
      .sort((a, b) => b.id - a.id)
  }

  /**
   * The active people of `villages` (every registered village when omitted) when there are at
   * most `limit` of them, else undefined: partial-name and near-miss look-ups scan the roster
   * only while the township is small (docs/lookups.md). Costs one SCARD per village first.
   */
  async listPeopleUpTo(limit: number, villages?: readonly string[]): Promise<Person[] | undefined> {
    const { redis, keys } = this.deps
    const scope = villages ?? (await readVillagesInOrder(redis, keys))
    const sizes = await Promise.all(scope.map((v) => redis.scard(keys.roster(v))))
    if (sizes.reduce((a, b) => a + b, 0) > limit) return undefined
    return this.listPeople({ villages: scope })
  }

  /**
   * What a person's card shows of their history since `sinceYear`: the days they were visited
   * per campaign (from the campaigns' visit-day guards, no walk of the visits) and their
   * allowance payments (from those years' payment lists, a few dozen a year).
   */
  async historyOf(personId: number, sinceYear: number): Promise<PersonHistory> {
    const { redis, keys } = this.deps
    const periods = (await redis.smembers(keys.periods())).map((p) => p.split('|'))
    const campaigns = periods
      .filter(([k, year]) => k === 'v' && Number(year) >= sinceYear)
      .map(([, year, occasion]) => ({ year: Number(year), occasion: occasion! }))
    const years = periods
      .filter(([k, year]) => k === 'm' && Number(year) >= sinceYear)
      .map(([, year]) => Number(year))
    const [days, payments] = await Promise.all([
      Promise.all(
        campaigns.map(async (c) =>
          Object.assign({}, c, {
            dates: await this.visitDays(keys.campaignVisitDays(c.year, c.occasion), personId),
          }),
        ),
      ),
      Promise.all(years.map((year) => this.paymentsOf(year, personId))),
    ])
    return {
      visits: days
        .flatMap((c) => c.dates.map((date) => ({ year: c.year, occasion: c.occasion, date })))
        .sort((a, b) => b.date.localeCompare(a.date)),
      payments: payments.flat().sort((a, b) => b.year - a.year || b.date.localeCompare(a.date)),
    }
  }

  private async visitDays(key: string, personId: number): Promise<string[]> {
    const dates: string[] = []
    let cursor = '0'
    do {
      const [next, flat] = await this.deps.redis.hscan(
        key,
        cursor,
        'MATCH',
        `${personId}|*`,
        'COUNT',
        1000,
      )
      for (let i = 0; i < flat.length; i += 2) {
        if (Number(flat[i + 1]) > 0) dates.push(flat[i]!.slice(flat[i]!.indexOf('|') + 1))
      }
      cursor = next
    } while (cursor !== '0')
    return dates
  }

  private async paymentsOf(year: number, personId: number): Promise<AllowancePayment[]> {
    const out: AllowancePayment[] = []
    for await (const p of this.records.walkList(this.deps.keys.yearPayments(year), 'payment')) {
      if (p.personId === personId && p.year === year) out.push(p)
    }
    return out
  }

  /**
   * The clear phone and ID number of `#id`, for an admin in a private chat or an export they
   * asked for (domain.md, Privacy). Undefined when there is no such person.
   */
  async revealPii(id: number): Promise<{ phone?: string; idNumber?: string } | undefined> {
    const loaded = await this.records.load(id)
    if (loaded?.record.kind !== 'person') return undefined
    const { pii } = this.deps
    const { phoneSealed, idNumberSealed } = loaded.secrets
    return {
      ...(phoneSealed && { phone: pii.open('phone', phoneSealed) }),
      ...(idNumberSealed && { idNumber: pii.open('idNumber', idNumberSealed) }),
    }
  }

  private async activePeople(ids: string[], villages?: readonly string[]): Promise<Person[]> {
    return activeIn(await this.records.getRecords(ids.map(Number).sort((a, b) => a - b)), villages)
  }
}

/** A person's visit days (newest first) and allowance payments; see PeopleStore.historyOf. */
export interface PersonHistory {
  visits: { year: number; occasion: string; date: string }[]
  payments: AllowancePayment[]
}

/** Who a new person may duplicate; see PeopleStore.likelyDuplicates. */
export interface LikelyDuplicates {
  idHolder: Person | undefined
  samePhone: Person[]
  sameName: Person[]
}

/** The active people among `records`, optionally only those of `villages`. */
function activeIn(records: readonly AnyRecord[], villages?: readonly string[]): Person[] {
  const wanted = villages && new Set(villages)
  return records.filter(
    (r): r is Person =>
      r.kind === 'person' && r.status === 'active' && (!wanted || wanted.has(r.village)),
  )
}
