const collator = new Intl.Collator('zh-Hans-CN')

// Why a cache: ICU's pinyin comparison costs microseconds per pair, and a tally sorts the same
// few dozen village names on every read. The set of villages changes rarely, so the sorted
// order is remembered per set (a handful of sets per process).
const sortedSets = new Map<string, readonly string[]>()
const MAX_SETS = 64

/** `names` in pinyin order (铁炉嘴村 before 新街社区), as leaders read village lists. */
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
