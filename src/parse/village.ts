/**
 * Village (行政村) and community (社区) names as cadres type them: with or without the suffix
 * (`铁炉嘴` / `铁炉嘴村`). Input is expected to be folded already; nothing here throws.
 */

// Longest first, so `新街社区居委会` loses the whole suffix and `铁炉嘴村委会` not just `会`.
const SUFFIXES = ['社区居委会', '村民委员会', '居民委员会', '村委会', '居委会', '社区', '村']
const SUFFIX = new RegExp(`(?:${SUFFIXES.join('|')})$`)

/** Up to 10 Han characters or digits before the suffix: `铁炉嘴村`, `新街社区`, `红旗2村`. */
const VILLAGE_LIKE = new RegExp(`^[\\p{Script=Han}\\d]{1,10}(?:${SUFFIXES.join('|')})$`, 'u')

/** Han words that end like a village but name none (`优待金标准 农村5800`). */
const NOT_VILLAGES = new Set([
  '农村',
  '乡村',
  '本村',
  '该村',
  '全村',
  '各村',
  '邻村',
  '外村',
  '本社区',
  '该社区',
  '各社区',
  '全社区',
])

/**
 * The name without a trailing 村/社区/居委会/村委会 (`铁炉嘴村` → `铁炉嘴`), trimmed. A name
 * that is only a suffix (`村`) is returned as is rather than emptied.
 */
export function villageBase(name: string): string {
  if (typeof name !== 'string') return ''
  const trimmed = name.trim()
  const base = trimmed.replace(SUFFIX, '')
  return base === '' ? trimmed : base
}

/**
 * The entry of `known` that `input` names, with or without its suffix (`铁炉嘴` → `铁炉嘴村`).
 * An exact match wins; otherwise the base names must match exactly one entry, so `新街` with both
 * 新街村 and 新街社区 known is `undefined` (ambiguous), as is an unknown name.
 */
export function matchVillage(input: string, known: readonly string[]): string | undefined {
  if (typeof input !== 'string') return undefined
  const wanted = input.trim()
  if (wanted === '') return undefined
  const exact = known.find((k) => k.trim() === wanted)
  if (exact !== undefined) return exact
  const base = villageBase(wanted)
  const same = known.filter((k) => villageBase(k) === base)
  return same.length === 1 ? same[0] : undefined
}

/**
 * True when `token` reads as a village or community name on its own (a Han name followed by
 * 村/社区/居委会…), for telling `铁炉嘴村` from a person's name in `统计 铁炉嘴村`.
 */
export function looksLikeVillage(token: string): boolean {
  if (typeof token !== 'string') return false
  const trimmed = token.trim()
  return VILLAGE_LIKE.test(trimmed) && !NOT_VILLAGES.has(trimmed)
}

/**
 * A registered village run together with what follows it (`铁炉嘴村张三`, `铁炉嘴张三`): the
 * village and the rest, when the rest is at least two characters (a name's length). The longest
 * prefix wins, so a full name beats a shorter one's (`新街社区孙一` with 新街村 known); a base
 * shared by two villages (`新街孙一` with 新街村 and 新街社区) names neither, as in matchVillage.
 * Undefined when `word` starts with no village.
 */
export function splitVillagePrefix(
  word: string,
  known: readonly string[],
): { village: string; rest: string } | undefined {
  if (typeof word !== 'string') return undefined
  let prefix = ''
  let villages = new Set<string>()
  for (const village of known) {
    // Written with its suffix, the village is the whole name (`铁炉嘴村张` is not 铁炉嘴's 村张).
    const full = village.trim()
    const text = word.startsWith(full) ? full : villageBase(village)
    if ([...text].length < 2 || !word.startsWith(text)) continue
    if ([...word.slice(text.length)].length < 2 || text.length < prefix.length) continue
    if (text.length > prefix.length) villages = new Set()
    prefix = text
    villages.add(village)
  }
  if (villages.size !== 1) return undefined
  return { village: [...villages][0]!, rest: word.slice(prefix.length) }
}
