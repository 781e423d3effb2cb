import type { Keys } from './keys.js'
import { directReads, type StoreReads } from './reads.js'
import type { RedisClient } from './redis.js'

const collator = new Intl.Collator('zh-Hans-CN')

// Why a cache: ICU's pinyin comparison costs microseconds per pair, and a tally sorts the same
// few dozen village names on every read. The set of villages changes rarely, so the sorted
// order is remembered per set (a handful of sets per process).
const sortedSets = new Map<string, readonly string[]>()
const MAX_SETS = 64

/** `names` in pinyin order (铁炉嘴村 before 新街社区): for names the township never ordered. */
export function sortVillages(names: Iterable<string>): string[] {
  const unique = [...new Set(names)]
  const key = [...unique].sort().join('|')
  let sorted = sortedSets.get(key)
  if (!sorted) {
    sorted = unique.sort(collator.compare)
    if (sortedSets.size >= MAX_SETS) sortedSets.delete(sortedSets.keys().next().value!)
    sortedSets.set(key, sorted)
  }
  return [...sorted]
}

/** Pinyin comparison of two names, for sorting rows keyed by village. */
export const compareVillages = (a: string, b: string): number => collator.compare(a, b)

/**
 * `names` in the order of `order` (the township's), and those `order` does not hold after
 * them in pinyin order: villages registered before the order was kept, or a village no
 * longer registered that still has counts.
 */
export function inTownshipOrder(names: Iterable<string>, order: readonly string[]): string[] {
  const wanted = new Set(names)
  const ordered = [...new Set(order)].filter((v) => wanted.has(v))
  const placed = new Set(ordered)
  return [...ordered, ...sortVillages([...wanted].filter((v) => !placed.has(v)))]
}

/**
 * Every registered village in the township's order (docs/replies.md): the order they were
 * added, as village-store.ts appends them to keys.villageOrder(). One round trip, read
 * through `reads` when given (a message's first round trip).
 */
export async function readVillagesInOrder(
  redis: RedisClient,
  keys: Keys,
  reads: StoreReads = directReads(redis),
): Promise<string[]> {
  const [registered, order] = await Promise.all([
    reads.smembers(keys.villages()),
    reads.wholeList(keys.villageOrder()),
  ])
  return inTownshipOrder(registered, order)
}
