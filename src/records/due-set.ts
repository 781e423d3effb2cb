import { campaignWindow } from '../reminders/calendar.js'
import { isCampaignOccasion, type Occasion } from '../occasions.js'
import { addDays, instantAt, type LocalDate } from '../time/local-date.js'

/**
 * Who a campaign is due to visit (docs/figures.md): the people on the roster, or, once the
 * campaign has ended, the people on it as it stood at the end (a frozen snapshot). Households
 * visited are always counted among the due, so 统计 and 未走访 are two views of one set.
 */

/** Today and the bot's time zone: what decides whether a campaign has ended. */
export interface AsOf {
  today: LocalDate
  timezone: string
}

/** A campaign's last day: its day (八一, 春节, 元旦), or 12-31 for 日常 and 困难帮扶. */
export function campaignLastDay(year: number, occasion: Occasion): LocalDate {
  return isCampaignOccasion(occasion) ? campaignWindow(occasion, year).end : `${year}-12-31`
}

/** The instant a campaign ended (local midnight after its last day), or undefined while open. */
export function campaignEndedAt(year: number, occasion: Occasion, asOf: AsOf): Date | undefined {
  return endedAfter(campaignLastDay(year, occasion), asOf)
}

/** The instant the allowance of `year` closed (local midnight after 12-31), or undefined. */
export function allowanceEndedAt(year: number, asOf: AsOf): Date | undefined {
  return endedAfter(`${year}-12-31`, asOf)
}

/** Local midnight after `last` once `asOf.today` is past it; undefined until then. */
function endedAfter(last: LocalDate, asOf: AsOf): Date | undefined {
  if (asOf.today <= last) return undefined
  return instantAt(addDays(last, 1), 0, 0, asOf.timezone)
}

/**
 * Whether `person` belongs in the due set of a campaign that ended at `instant`: on the roster
 * as it stood then, whenever the set is frozen. That is: entered before the end and not
 * removed before it. When nobody on the roster was entered before the end (`inUseAtEnd`
 * false: a new install back-filling last year's roster and visits), entry time says nothing
 * about entitlement and everyone entered is due (docs/figures.md).
 */
export function dueAtEnd(
  person: { status: string; createdAt: string; withdrawnAt?: string },
  instant: Date,
  inUseAtEnd: boolean,
): boolean {
  if (inUseAtEnd && Date.parse(person.createdAt) >= instant.getTime()) return false
  if (person.status !== 'withdrawn') return true
  return Date.parse(person.withdrawnAt ?? '') >= instant.getTime()
}

/** Whether anyone among `people` was entered before `instant`: the roster existed then. */
export function rosterInUseAt(people: readonly { createdAt: string }[], instant: Date): boolean {
  const end = instant.getTime()
  return people.some((p) => Date.parse(p.createdAt) < end)
}

/**
 * Writes a campaign's frozen due set once: a second writer (another instance reading the same
 * closed campaign at the same moment) finds it there and changes nothing.
 *
 * KEYS[1] the due hash (keys.campaignDue)   ARGV flat `field, value, …`
 * Returns 1 written | 0 already there.
 */
export const WRITE_DUE_SNAPSHOT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local n = #ARGV
local j = 1
while j <= n do
  local stop = math.min(n, j + 999)
  redis.call('HSET', KEYS[1], unpack(ARGV, j, stop))
  j = stop + 1
end
return 1
`

/**
 * Counts, per village and code, members of a membership hash (visited households, paid
 * families; field `<personId>.<code>`) that the due set does not hold, or does.
 *
 * Mode `removed` (open campaigns, allowance years): the members who are people removed from
 * the village's roster. The write path's distinct-household counters minus these are the due
 * households: one look per removed person, never per visit or per household.
 * Mode `snapshot` (ended campaigns, closed allowance years): the members the frozen due set
 * holds, by its code (category; household type, `-` for none): one pass over the households
 * visited or families paid, once per read.
 *
 * KEYS[1] the due hash (mode snapshot only; any key otherwise)
 * KEYS[2i], KEYS[2i+1] village i's removed SET and membership HASH
 * ARGV[1] 'removed' | 'snapshot'   ARGV[2] number of codes   ARGV[3..] village names
 * Returns JSON `[[n of code 0, n of code 1, …] per village]`, or -1 when the snapshot is missing.
 */
export const COUNT_DUE_MEMBERS = `
local snapshot = ARGV[1] == 'snapshot'
if snapshot and redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local codes = tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV do
  local village = ARGV[i]
  local removed, members = KEYS[2 * (i - 2)], KEYS[2 * (i - 2) + 1]
  local counts = {}
  for c = 1, codes do counts[c] = 0 end
  if snapshot then
    for _, field in ipairs(redis.call('HKEYS', members)) do
      local id = string.sub(field, 1, string.find(field, '.', 1, true) - 1)
      local code = tonumber(redis.call('HGET', KEYS[1], 'p|' .. village .. '|' .. id))
      if code and counts[code + 1] then counts[code + 1] = counts[code + 1] + 1 end
    end
  else
    for _, id in ipairs(redis.call('SMEMBERS', removed)) do
      for c = 1, codes do
        if redis.call('HEXISTS', members, id .. '.' .. (c - 1)) == 1 then
          counts[c] = counts[c] + 1
        end
      end
    end
  end
  out[#out + 1] = counts
end
return cjson.encode(out)
`
