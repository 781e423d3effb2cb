import fc from 'fast-check'
import * as OpenCC from 'opencc-js/t2cn'
import { describe, expect, it } from 'vitest'
import { foldText, simplify, SKIPS_UNCHANGED_TEXT } from '../../src/parse/normalize.js'

describe('foldText', () => {
  it('drops a lone surrogate but keeps whole emoji and the text around it', () => {
    expect(foldText('走访\ud800米一袋')).toBe('走访米一袋')
    expect(foldText('走访\udc00 张三')).toBe('走访 张三')
    expect(foldText('谢谢👍')).toBe('谢谢👍')
  })

  it('folds traditional script and full-width forms as before', () => {
    expect(foldText('登記走訪　張三，１２３')).toBe('登记走访 张三,123')
  })
})

describe('simplify', () => {
  // The converter simplify skips for text it would not change, built as normalize.ts builds it.
  const convert = OpenCC.Converter({ from: 't', to: 'cn' })
  const cjk = fc.integer({ min: 0x4e00, max: 0x9fff }).map((cp) => String.fromCodePoint(cp))
  const typed = fc.constantFrom(...'走访张三登記走訪鐵爐嘴優待金慰问乾隆干部後面发髮頭發于於 1,。')

  it('answers what the OpenCC converter answers, for any mix of scripts', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(cjk, typed), maxLength: 24 }), (text) => {
        expect(simplify(text)).toBe(convert(text))
      }),
      { numRuns: 5000 },
    )
  })

  it('leaves simplified text as it is, and converts traditional', () => {
    expect(SKIPS_UNCHANGED_TEXT).toBe(true)
    expect(simplify('走访 赵明华 八一 慰问金500元 米一袋')).toBe(
      '走访 赵明华 八一 慰问金500元 米一袋',
    )
    expect(simplify('乾隆 幹部 頭髮')).toBe(convert('乾隆 幹部 頭髮'))
    expect(simplify('鐵爐嘴村')).toBe('铁炉嘴村')
  })
})
