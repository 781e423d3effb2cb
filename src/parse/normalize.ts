import * as OpenCC from 'opencc-js/t2cn'

// OpenCC's traditional → mainland-simplified table (opencc-js, Apache-2.0): the same
// dictionaries the desktop OpenCC uses, so 登記/鐵爐嘴/優待金 fold the way a cadre expects.
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' })

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
  return toSimplified(halfWidth)
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[ \t\u3000\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim()
}
