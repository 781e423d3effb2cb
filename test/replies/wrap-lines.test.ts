import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { displayWidth } from '../../src/replies/display-width.js'
import { wrapToWidth } from '../../src/replies/wrap-lines.js'

describe('wrapToWidth', () => {
  it('when a sentence is wider than a line, breaks it after its punctuation', () => {
    expect(
      wrapToWidth(
        '八、优待金：发放 10 户 74,800 元（农村 4 户 23,200 元，标准 5,800 元；城镇 6 户 51,600 元，标准 8,600 元）。',
      ),
    ).toEqual([
      '八、优待金：发放 10 户 74,800 元',
      '（农村 4 户 23,200 元，标准 5,800 元；',
      '城镇 6 户 51,600 元，标准 8,600 元）。',
    ])
  })

  it('when a short aside or a 「」 follows, keeps it with the words before', () => {
    expect(wrapToWidth('分布在 3 个村（社区），核对：「导出 花名册」', 24)).toEqual([
      '分布在 3 个村（社区），',
      '核对：「导出 花名册」',
    ])
  })

  it('when one phrase is wider than a line, cuts it, never inside a number', () => {
    expect(wrapToWidth('某某省某某市某某县经济技术开发区铁炉嘴镇2026 年双拥工作数据')).toEqual([
      '某某省某某市某某县经济技术开发区铁炉嘴镇',
      '2026 年双拥工作数据',
    ])
  })

  it('when the text already fits, leaves it as it is', () => {
    expect(wrapToWidth('九、座谈会：1 次，40 人次。')).toEqual(['九、座谈会：1 次，40 人次。'])
  })

  it('for any text, every line fits and the lines joined are the text without its spaces at breaks', () => {
    const piece = fc.constantFrom(
      '走访',
      '慰问金',
      ' 1,234,567 ',
      '元',
      '，',
      '；',
      '、',
      '。',
      '：',
      '（',
      '）',
      '「导出 台账 2026」',
      '铁炉嘴村民委员会',
      'wecom:lisi',
      '+4.2%',
      ' ',
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }),
        fc.integer({ min: 12, max: 60 }),
        (parts, width) => {
          const text = parts.join('')
          const lines = wrapToWidth(text, width)
          for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width)
          expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''))
        },
      ),
    )
  })
})
