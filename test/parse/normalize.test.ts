import fc from 'fast-check'
import * as OpenCC from 'opencc-js/t2cn'
import { describe, expect, it } from 'vitest'
import {
  asTyped,
  foldText,
  foldWithOffsets,
  simplify,
  SKIPS_UNCHANGED_TEXT,
  typedTail,
  withoutListNumbers,
} from '../../src/parse/normalize.js'

describe('foldText', () => {
  it('drops a lone surrogate but keeps whole emoji and the text around it', () => {
    expect(foldText('走访\ud800米一袋')).toBe('走访米一袋')
    expect(foldText('走访\udc00 张三')).toBe('走访 张三')
    expect(foldText('谢谢👍')).toBe('谢谢👍')
  })

  it('folds traditional script and full-width forms as before', () => {
    expect(foldText('登記走訪　張三，１２３')).toBe('登记走访 张三,123')
  })

  it('reads a phrase a zero-width character splits as the phrase, as foldWithOffsets does', () => {
    // Found by the property below: 乾 alone simplifies to 干, 乾隆 keeps it.
    expect(foldText('乾\u200b隆')).toBe(foldText('乾隆'))
    expect(foldWithOffsets('乾\u200b隆')?.text).toBe(foldText('乾\u200b隆'))
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

describe('foldWithOffsets and typedTail', () => {
  // What a phone keyboard puts in a line: both scripts, full-width forms, spaces of every kind,
  // zero-width characters, marks that combine, lone surrogates, emoji.
  const typed = fc.constantFrom(
    ...'走访张三備註身體尚好，需要輪椅。：；！？（）１２３ａ…㎏①乾隆頭髮'.split(''),
    ' ',
    '  ',
    '\u3000',
    '\u00a0',
    '\t',
    '\n',
    ' \n ',
    '\u200b',
    '\ufeff',
    'e\u0301',
    '\u0301',
    '\ud800',
    '👍',
  )
  const text = fc.string({ unit: typed, maxLength: 30 })

  it('folds as foldText does, each folded character traced to where it was typed', () => {
    let traced = 0
    fc.assert(
      fc.property(text, (input) => {
        const mapped = foldWithOffsets(input)
        if (mapped === undefined) return
        traced++
        expect(mapped.text).toBe(foldText(input))
        expect(mapped.at).toHaveLength(mapped.text.length)
        for (let i = 1; i < mapped.at.length; i++) {
          expect(mapped.at[i]!).toBeGreaterThanOrEqual(mapped.at[i - 1]!)
        }
      }),
      { numRuns: 3000 },
    )
    // Left untraced only for what one character at a time cannot follow, which is rare.
    expect(traced).toBeGreaterThan(2700)
  })

  it('gives a tail as typed, which folds back to the tail', () => {
    let typedCount = 0
    fc.assert(
      fc.property(text, fc.nat(), (input, cut) => {
        const folded = foldText(input)
        const tail = folded.slice(cut % (folded.length + 1)).trim()
        const found = typedTail(input, folded, tail)
        if (found === undefined) return
        typedCount++
        expect(foldText(found)).toBe(tail)
        expect(found).toBe(asTyped(found))
      }),
      { numRuns: 3000 },
    )
    expect(typedCount).toBeGreaterThan(2000)
  })

  it('keeps what the fold changes, in the tail asked for', () => {
    const line = '走訪　張三  今天 備註：家中老人身體尚好，需要輪椅。\u200b '
    const folded = foldText(line)

    expect(folded).toBe('走访 张三 今天 备注:家中老人身体尚好,需要轮椅。')
    expect(typedTail(line, folded, '家中老人身体尚好,需要轮椅。')).toBe(
      '家中老人身體尚好，需要輪椅。',
    )
    expect(typedTail(line, folded, '今天 备注:家中老人身体尚好,需要轮椅。')).toBe(
      '今天 備註：家中老人身體尚好，需要輪椅。',
    )
    expect(typedTail(line, folded, '')).toBe('')
  })

  it('finds no typed tail that starts inside what one character folded to, or is no tail', () => {
    expect(typedTail('备注 漏雨…', '备注 漏雨...', '..')).toBeUndefined()
    expect(typedTail('备注 漏雨…', '备注 漏雨...', '漏雨...')).toBe('漏雨…')
    expect(typedTail('备注 漏雨', '备注 漏雨', '备注')).toBeUndefined()
    expect(typedTail('备注 漏雨', '备注 漏水', '漏水')).toBeUndefined()
  })
})

describe('withoutListNumbers (a tester: a numbered list of records stored nothing)', () => {
  it.each([
    ['1、走访 李三 今天 日常\n2、走访 张三 今天 日常', '走访 李三 今天 日常\n走访 张三 今天 日常'],
    ['1.走访 李三 今天\n2. 李二 今天', '走访 李三 今天\n李二 今天'],
    ['(1)走访 李三 今天\n(2)李二 今天', '走访 李三 今天\n李二 今天'],
    ['一、走访 李三 今天\n二、走访 李二 今天', '走访 李三 今天\n走访 李二 今天'],
    [foldText('①走访 李三 今天\n②走访 李二 今天'), '走访 李三 今天\n走访 李二 今天'],
  ])('reads 「%s」 line by line, without the numbers', (text, plain) => {
    expect(withoutListNumbers(text)).toBe(plain)
  })

  it.each([
    '1、走访 李三 今天',
    '1、走访 李三 今天\n走访 李二 今天',
    '1.5万 李三\n2.5万 李二',
    '1月5日走访 李三\n2月3日走访 李二',
    '走访 李三 今天 日常',
  ])('leaves 「%s」 as it is: one line, a line not numbered, or amounts', (text) => {
    expect(withoutListNumbers(text)).toBe(text)
  })
})
