import * as OpenCC from 'opencc-js/t2cn'

// OpenCC's traditional → mainland-simplified table (opencc-js, Apache-2.0): the same
// dictionaries the desktop OpenCC uses, so 登記/鐵爐嘴/優待金 fold the way a cadre expects.
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' })

type Dict = string | readonly (readonly [string, string])[]

/**
 * Every character that some entry of the converter's dictionaries changes: one the entry's
 * replacement does not keep in place. A text with none of them converts to itself, whatever
 * entries match in it. Undefined when the dictionaries are not where this looks (a new
 * opencc-js): then every text is converted.
 */
function changedCharacters(): Set<string> | undefined {
  const configs = OpenCC.Locale.configs as unknown as Record<
    string,
    { normalizationChain?: Dict[][]; conversionChain?: Dict[][] } | undefined
  >
  // Converter({ from: 't', to: 'cn' }) is the t2s configuration.
  const config = configs.t2s
  if (!config?.conversionChain) return undefined
  const changed = new Set<string>()
  for (const dict of [...(config.normalizationChain ?? []), ...config.conversionChain].flat()) {
    const entries =
      typeof dict === 'string' ? dict.split('|').map((entry) => entry.split(' ')) : dict
    for (const [from = '', to = ''] of entries) {
      const source = [...from]
      const target = [...to]
      source.forEach((c, i) => {
        if (source.length !== target.length || target[i] !== c) changed.add(c)
      })
    }
  }
  return changed.size > 0 ? changed : undefined
}

const CHANGED = changedCharacters()

/** False when opencc-js no longer exposes its tables where changedCharacters looks. */
export const SKIPS_UNCHANGED_TEXT = CHANGED !== undefined

/**
 * `text` in mainland simplified characters. Skipped for a text with no character the tables
 * change: most cadres type simplified, and the conversion was 2% of a visit's CPU.
 */
export function simplify(text: string): string {
  if (CHANGED === undefined) return toSimplified(text)
  for (const c of text) if (CHANGED.has(c)) return toSimplified(text)
  return text
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * Folds what a cadre types on a phone into one canonical form, once, on the way in:
 * traditional → simplified, full-width digits/letters/punctuation → half-width (NFKC),
 * ideographic space and runs of whitespace → one space. A lone surrogate (half of an emoji a
 * keyboard cut, or a forged message) is dropped: nothing could store or show it. Pure; never
 * throws.
 */
export function foldText(input: string): string {
  const halfWidth = input.replace(LONE_SURROGATE, '').normalize('NFKC')
  return simplify(halfWidth)
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[ \t\u3000\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim()
}
