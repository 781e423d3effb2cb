import fc from 'fast-check'
import Nzh from 'nzh'
import { describe, expect, it } from 'vitest'
import {
  decodeChineseInteger,
  findAmount,
  formatYuan,
  parseAmountFen,
} from '../../src/parse/amount.js'
import { foldText } from '../../src/parse/normalize.js'

/** Characters that reach the amount grammar, so random strings explore it, not just reject. */
const AMOUNT_ALPHABET = [
  ...'0123456789.,¥元块钱圆整万千百十亿点零一二两三四五六七八九壹贰叁肆伍陆柒捌玖拾佰仟 -kw负',
]

describe('parseAmountFen', () => {
  it.each([
    ['500', 50000],
    ['500元', 50000],
    ['500块', 50000],
    ['500块钱', 50000],
    ['500 元', 50000],
    ['五百', 50000],
    ['五百元', 50000],
    ['二百', 20000],
    ['两千', 200000],
    ['1.5万', 1500000],
    ['1.5万元', 1500000],
    // Said as 五千八 and 一万二, written with digits (a tester).
    ['5千8', 580000],
    ['1万2', 1200000],
    ['五千八百块钱整', 580000],
    ['一万五', 1500000],
    ['一万五千', 1500000],
    ['三百五', 35000],
    ['一点五万', 1500000],
    ['1,500元', 150000],
    ['¥500', 50000],
    ['¥ 500', 50000],
    ['人民币500元', 50000],
    ['8600.50元', 860050],
    ['3千', 300000],
    ['八千六百元', 860000],
    ['二十万零五百', 20050000],
    ['0.5元', 50],
    ['0.05元', 5],
    ['1.1万', 1100000],
    ['1.5w', 1500000],
    ['2k', 200000],
    ['0', 0],
  ])('when given %s, returns %i fen', (text, fen) => {
    expect(parseAmountFen(text)).toBe(fen)
  })

  it.each([
    ['伍佰元', 50000],
    ['伍佰圆整', 50000],
    ['壹万伍仟元整', 1500000],
    ['贰仟', 200000],
  ])('when given 大写 numerals %s, accepts them as on a receipt (%i fen)', (text, fen) => {
    expect(parseAmountFen(text)).toBe(fen)
  })

  it.each([
    ['５００元', 50000],
    ['１．５万', 1500000],
    ['１，５００元', 150000],
    ['￥５００', 50000],
    ['兩千', 200000],
    ['貳佰元', 20000],
    ['壹萬伍仟元', 1500000],
    ['五百塊', 50000],
  ])('when %s is folded first, reads it like the simplified half-width form', (text, fen) => {
    expect(parseAmountFen(foldText(text))).toBe(fen)
  })

  it.each([
    [''],
    ['   '],
    ['abc'],
    ['元'],
    ['万'],
    ['-500'],
    ['负500'],
    ['-500元'],
    ['8.600元'],
    ['0.001元'],
    ['1.2345678万'],
    ['1,50元'],
    ['15,00元'],
    ['101亿'],
    ['100000000000000'],
    ['五五五'],
    ['一二三'],
    ['7月25日'],
    ['米一袋'],
    ['500元 米'],
  ])('when given %j, returns undefined', (text) => {
    expect(parseAmountFen(text)).toBeUndefined()
  })

  it('when given 100亿元, accepts the 10^12 fen ceiling exactly', () => {
    expect(parseAmountFen('100亿元')).toBe(10 ** 12)
  })

  it('when given decimal 万 amounts, computes exact fen without float error', () => {
    expect(parseAmountFen('1.1万')).toBe(1100000)
    expect(parseAmountFen('0.3万')).toBe(300000)
    expect(parseAmountFen('2.675万')).toBe(2675000)
    expect(parseAmountFen('1.234567万')).toBe(1234567)
  })

  it('when given formatYuan output for any fen up to 10^11, round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 11 }), (fen) => {
        expect(parseAmountFen(formatYuan(fen))).toBe(fen)
      }),
    )
  })

  it('when given a plain decimal 元 string for any fen up to 10^11, round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 11 }), (fen) => {
        const decimal = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
        expect(parseAmountFen(`${decimal}元`)).toBe(fen)
        expect(parseAmountFen(decimal)).toBe(fen)
      }),
    )
  })

  it('when given any whole yuan written in Chinese numerals by nzh, reads the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 10 }), (yuan) => {
        expect(parseAmountFen(`${Nzh.cn.encodeS(yuan)}元`)).toBe(yuan * 100)
        expect(parseAmountFen(`${Nzh.cn.encodeB(yuan)}元整`)).toBe(yuan * 100)
      }),
    )
  })

  it('when given arbitrary unicode, never throws and returns undefined or fen in range', () => {
    const inRange = (v: number | undefined) =>
      v === undefined || (Number.isSafeInteger(v) && v >= 0 && v <= 10 ** 12)
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(inRange(parseAmountFen(text))).toBe(true)
      }),
    )
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...AMOUNT_ALPHABET), maxLength: 12 }),
        (text) => {
          expect(inRange(parseAmountFen(text))).toBe(true)
        },
      ),
    )
  })
})

describe('formatYuan', () => {
  it.each([
    [7180000, '71,800'],
    [50050, '500.50'],
    [5, '0.05'],
    [0, '0'],
    [50000, '500'],
    [123456789, '1,234,567.89'],
    [-12345, '-123.45'],
  ])('when given %i fen, writes %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text)
  })

  it('when given a large amount, never uses 万', () => {
    expect(formatYuan(71800 * 10000 * 100)).toBe('718,000,000')
  })
})

describe('findAmount', () => {
  it.each([
    ['李二 人民币伍仟捌佰元整 今天', 580_000, '人民币伍仟捌佰元整'],
    ['李三 五千八百块钱整 今天', 580_000, '五千八百块钱整'],
    ['李一 人民币5800元 今天', 580_000, '人民币5800元'],
  ])('reads the receipt’s words around an amount in 「%s」 (a tester)', (text, fen, span) => {
    const found = findAmount(text)

    expect(found?.fen).toBe(fen)
    expect(text.slice(found!.start, found!.end)).toBe(span)
  })

  it.each([
    ['李二 叁仟', 300_000],
    ['李三 伍仟捌佰 今天', 580_000],
    ['李一 2026年 叁仟伍佰', 350_000],
  ])('reads 大写 written without 元 in 「%s」 (a tester: paid the full standard)', (text, fen) => {
    expect(findAmount(text)?.fen).toBe(fen)
  })

  it('reads no amount from a name or a lone 大写 digit', () => {
    expect(findAmount('陆建国 今天')).toBeUndefined()
    expect(findAmount('李二 伍')).toBeUndefined()
  })

  const visit = '走访 张三 7月28日 八一 慰问金500元 米一袋 油一桶'

  it('when a label precedes the amount, returns it with a span covering the label', () => {
    const found = findAmount(visit, ['慰问金'])

    expect(found).toEqual({ fen: 50000, start: visit.indexOf('慰问金'), end: visit.indexOf(' 米') })
  })

  it('when a label and a gap precede the amount, accepts 金额: 1.5万', () => {
    const text = '发放 金额: 1.5万 李四'

    expect(findAmount(text, ['金额'])).toEqual({
      fen: 1500000,
      start: 3,
      end: text.indexOf(' 李四'),
    })
  })

  it('when a label precedes a Chinese amount without 元, still reads it', () => {
    expect(findAmount('慰问金五百 米一袋', ['慰问金'])?.fen).toBe(50000)
  })

  it('when a label is followed by a date, does not read the month as money', () => {
    const text = '慰问金 7月28日 500元'

    expect(findAmount(text, ['慰问金'])).toEqual({ fen: 50000, start: 10, end: text.length })
  })

  it('when there is no label, takes the first amount with a money mark', () => {
    expect(findAmount(visit)).toEqual({ fen: 50000, start: 18, end: 22 })
    expect(findAmount('发放优待金 李四 8600元 7月20日')?.fen).toBe(860000)
  })

  it('when the amount follows a name in Chinese numerals, does not swallow the name', () => {
    expect(findAmount('张三五百元')).toEqual({ fen: 50000, start: 2, end: 5 })
  })

  it('when a comma separates words, reads it as punctuation', () => {
    expect(findAmount('张三,500元')).toEqual({ fen: 50000, start: 3, end: 7 })
  })

  it('when nothing has a money mark, falls back to a token that is only an amount', () => {
    expect(findAmount('发放优待金 李四 8600 7月20日')).toEqual({ fen: 860000, start: 9, end: 13 })
  })

  it('when an occasion or 元旦 looks like a numeral, does not read it as money', () => {
    expect(findAmount('走访 张三 7月28日 八一')).toBeUndefined()
    expect(findAmount('统一元旦慰问')).toBeUndefined()
  })

  it('when goods are counted in 块 or 袋, does not read them as money', () => {
    expect(findAmount('肥皂两块 米一袋')).toBeUndefined()
    expect(findAmount('活动 座谈会 7月30日 人数40')).toBeUndefined()
  })

  it('when given arbitrary unicode and labels, never throws and spans lie inside the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
        (text, labels) => {
          const found = findAmount(text, labels)
          if (found) {
            expect(found.start).toBeGreaterThanOrEqual(0)
            expect(found.end).toBeLessThanOrEqual(text.length)
            expect(found.start).toBeLessThan(found.end)
          }
        },
      ),
    )
  })
})

describe('decodeChineseInteger', () => {
  it('reads a lone numeral as nzh does, without asking it (the fast path of 米一袋)', () => {
    for (const c of '一二三四五六七八九十') {
      expect(decodeChineseInteger(c), c).toBe(String(Nzh.cn.decodeS(c)))
    }
    expect(decodeChineseInteger('两')).toBe('2')
    expect(decodeChineseInteger('零')).toBe('0')
    expect(decodeChineseInteger('万')).toBeUndefined()
  })
})
