import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { foldText } from '../../src/parse/normalize.js'
import { isNeedNote, parseRecordLine } from '../../src/parse/record-line.js'

// 2026-07-31 10:00 in Shanghai.
const opts = { now: new Date('2026-07-31T02:00:00Z'), timezone: 'Asia/Shanghai' }

describe('parseRecordLine', () => {
  it('reads goods written with a colon (米：1袋, a tester) as goods', () => {
    const line = parseRecordLine(foldText('李三 昨天 日常 米：1袋，食用油:2 桶'), opts)

    expect(line.goods).toEqual([
      { name: '米', quantity: 1, unit: '袋' },
      { name: '食用油', quantity: 2, unit: '桶' },
    ])
    expect(line.words).toEqual(['李三'])
  })

  it('reads the one-line visit of conversations.md', () => {
    const line = parseRecordLine(
      '张三 7月28日 八一 慰问金500元 米一袋 油一桶 备注 腿脚不便需修缮',
      opts,
    )

    expect(line).toEqual({
      words: ['张三'],
      date: '2026-07-28',
      dateRead: {
        date: '2026-07-28',
        start: 4,
        end: 9,
        kind: 'month-day',
        text: '7月28日',
        yearFrom: 'direction',
      },
      occasion: '八一',
      amountFen: 50000,
      goods: [
        { name: '米', quantity: 1, unit: '袋' },
        { name: '油', quantity: 1, unit: '桶' },
      ],
      note: '腿脚不便需修缮',
      noteLabel: '备注',
    })
  })

  it('when written in traditional script with full-width punctuation, reads the same', () => {
    const line = parseRecordLine(foldText('張三，７月２８日，八一，慰問金５００元，米一袋'), opts)

    expect(line.words).toEqual(['张三'])
    expect(line.date).toBe('2026-07-28')
    expect(line.amountFen).toBe(50000)
    expect(line.goods).toEqual([{ name: '米', quantity: 1, unit: '袋' }])
  })

  it('when the line is written with commas and a full stop before 备注, reads every field', () => {
    const line = parseRecordLine(
      foldText('黃淑珍，今天，日常，慰問金５００元，大米２袋、食用油１桶。備註：房屋漏雨'),
      opts,
    )

    expect(line).toMatchObject({
      words: ['黄淑珍'],
      occasion: '日常',
      amountFen: 50000,
      goods: [
        { name: '大米', quantity: 2, unit: '袋' },
        { name: '食用油', quantity: 1, unit: '桶' },
      ],
      note: '房屋漏雨',
    })
  })

  it('when the occasion is 困难帮扶, reads it as the occasion, not 困难 as the start of a need', () => {
    const line = parseRecordLine('郑德胜 今天 困难帮扶 慰问金800元', opts)

    expect(line).toMatchObject({ words: ['郑德胜'], occasion: '困难帮扶', amountFen: 80000 })
    expect(line.note).toBeUndefined()
    expect(parseRecordLine('郑德胜 今天 困难 看病缺钱', opts).note).toBe('看病缺钱')
  })

  it.each([
    ['五百块', 50000],
    ['一千二', 120000],
    ['三百五', 35000],
    ['两千', 200000],
  ])('when the money is said as people say it (%s), reads it without a label', (said, fen) => {
    const line = parseRecordLine(`赵六 上周五 日常 ${said}`, opts)

    expect(line).toMatchObject({ words: ['赵六'], amountFen: fen })
  })

  it('a short Chinese numeral is not money: 八一 stays the occasion, 肥皂两块 no amount', () => {
    const line = parseRecordLine('赵六 八一 肥皂两块', opts)

    expect(line.occasion).toBe('八一')
    expect(line.amountFen).toBeUndefined()
  })

  it('when a village precedes the name, keeps both words in order', () => {
    expect(parseRecordLine('铁炉嘴村 张伟 昨天', opts).words).toEqual(['铁炉嘴村', '张伟'])
  })

  it('reads a payment line without mistaking the date for money', () => {
    const line = parseRecordLine('李四 8600元 7.20', opts)

    expect(line).toMatchObject({ words: ['李四'], amountFen: 860000, date: '2026-07-20' })
  })

  it('reads an activity line with a head count', () => {
    expect(parseRecordLine('座谈会 7月30日 人数40', opts)).toMatchObject({
      words: ['座谈会'],
      date: '2026-07-30',
      count: 40,
    })
    expect(parseRecordLine('军训 5259人', opts)).toMatchObject({ words: ['军训'], count: 5259 })
  })

  it('when the line ends in 。, ！ or ？, or has commas between fields, names only the person', () => {
    for (const text of [
      '张三 今天 日常。',
      '张三，今天，日常！',
      '張三 今天 日常？',
      '张三 今天 日常.',
    ]) {
      expect(parseRecordLine(foldText(text), opts), text).toMatchObject({
        words: ['张三'],
        date: '2026-07-31',
        occasion: '日常',
      })
    }
    expect(parseRecordLine(foldText('张三 慰问金500元。米一袋。'), opts)).toMatchObject({
      words: ['张三'],
      amountFen: 50000,
      goods: [{ name: '米', quantity: 1, unit: '袋' }],
    })
  })

  it('reads goods written together, 米2袋油1桶, as one item each', () => {
    expect(parseRecordLine(foldText('张三 米2袋油1桶'), opts)).toMatchObject({
      words: ['张三'],
      goods: [
        { name: '米', quantity: 2, unit: '袋' },
        { name: '油', quantity: 1, unit: '桶' },
      ],
    })
    expect(parseRecordLine(foldText('张三 大米２袋食用油一桶面粉一袋'), opts).goods).toEqual([
      { name: '大米', quantity: 2, unit: '袋' },
      { name: '食用油', quantity: 1, unit: '桶' },
      { name: '面粉', quantity: 1, unit: '袋' },
    ])
    // Not a run of items from end to end: no goods guessed.
    expect(parseRecordLine('张三 米2袋油', opts)).toMatchObject({
      words: ['张三', '米2袋油'],
      goods: [],
    })
  })

  it('reads a head count followed by a full stop or between commas', () => {
    for (const text of ['座谈会 今天 人数40。', '座谈会，今天，40人！', '座谈会，40人，今天']) {
      expect(parseRecordLine(foldText(text), opts), text).toMatchObject({
        words: ['座谈会'],
        count: 40,
      })
    }
  })

  it('when only the occasion is named, leaves the date unset', () => {
    const line = parseRecordLine('张三 八一', opts)

    expect(line).toMatchObject({ words: ['张三'], occasion: '八一' })
    expect(line.date).toBeUndefined()
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
        parseRecordLine(foldText(s), opts)
      }),
    )
  })
})

describe('parseRecordLine dates (issue 11)', () => {
  it('when a lunar date is written, reads it as the date and leaves the name alone', () => {
    const line = parseRecordLine('杨福凤 腊月二十八 慰问金500元', opts)

    expect(line).toMatchObject({ words: ['杨福凤'], date: '2026-02-15', amountFen: 50000 })
    expect(line.dateRead).toMatchObject({
      kind: 'lunar',
      text: '腊月二十八',
      yearFrom: 'direction',
    })
  })

  it('when 除夕 is written, it is the visit day, not only the occasion', () => {
    const line = parseRecordLine('杨福凤 除夕', opts)

    expect(line).toMatchObject({ words: ['杨福凤'], date: '2026-02-16' })
    expect(line.occasion).toBeUndefined()
  })

  it('when a date relative to an occasion is written, consumes all of it', () => {
    const line = parseRecordLine('杨福凤 八一前一周 八一', opts)

    expect(line).toMatchObject({ words: ['杨福凤'], date: '2026-07-25', occasion: '八一' })
    expect(line.dateRead?.text).toBe('八一前一周')
  })

  it('when the date is impossible, names it and keeps it out of the name', () => {
    const line = parseRecordLine('杨福凤11月31日', opts)

    expect(line.words).toEqual(['杨福凤'])
    expect(line.date).toBeUndefined()
    expect(line.impossibleDate).toMatchObject({ text: '11月31日', reason: '11月只有30天' })
  })
})

describe('parseRecordLine words around the occasion and goods (tester, 2026-12)', () => {
  // 2026-12-02 10:00 in Shanghai: 春节 2027 is the coming one.
  const dec = { now: new Date('2026-12-02T02:00:00Z'), timezone: 'Asia/Shanghai' }

  it.each([
    ['李一 今天 春节前 慰问金300元', '春节'],
    ['王建国 今天 春节慰问 慰问金500元', '春节'],
    ['王建国 今天 春节前夕走访慰问', '春节'],
    ['王建国 今天 春节 慰问', '春节'],
    ['王建国 今天 元旦期间', '元旦'],
    ['王建国 今天 八一前', '八一'],
    ['刘桂兰 今天 迎春 500元', '春节'],
    ['刘桂兰 今天 迎新春慰问', '春节'],
  ])('「%s」 names the person alone and the occasion %s', (text, occasion) => {
    const line = parseRecordLine(text, dec)

    expect(line.words).toEqual([text.split(' ')[0]])
    expect(line.occasion).toBe(occasion)
    expect(line.date).toBe('2026-12-02')
  })

  it('春节前 names the season, not a day: without another date the line has none', () => {
    const line = parseRecordLine('李一 春节前', dec)

    expect(line).toMatchObject({ words: ['李一'], occasion: '春节' })
    expect(line.date).toBeUndefined()
  })

  it('春节慰问金500元 is the occasion and the labelled cash, not 慰问 and 金', () => {
    expect(parseRecordLine('王建国 今天 春节慰问金500元', dec)).toMatchObject({
      words: ['王建国'],
      occasion: '春节',
      amountFen: 50000,
    })
  })

  it('迎春 alone may be part of a name (王迎春) and is left to the look-up', () => {
    const line = parseRecordLine('迎春 今天', dec)

    expect(line.words).toEqual(['迎春'])
    expect(line.occasion).toBeUndefined()
    expect(parseRecordLine('王迎春 今天 春节', dec).words).toEqual(['王迎春'])
  })

  it('reads goods in the measure words a township hands out', () => {
    const line = parseRecordLine(
      '刘桂兰 今天 元旦 500块钱 鸡蛋一筐 春联两副 猪肉5斤 大米10公斤',
      dec,
    )

    expect(line).toMatchObject({ words: ['刘桂兰'], amountFen: 50000 })
    expect(line.goods).toEqual([
      { name: '鸡蛋', quantity: 1, unit: '筐' },
      { name: '春联', quantity: 2, unit: '副' },
      { name: '猪肉', quantity: 5, unit: '斤' },
      { name: '大米', quantity: 10, unit: '公斤' },
    ])
  })

  it('大米50千克 is goods, not 50千 元 of cash', () => {
    const line = parseRecordLine('刘桂兰 今天 元旦 大米50千克', dec)

    expect(line.amountFen).toBeUndefined()
    expect(line.goods).toEqual([{ name: '大米', quantity: 50, unit: '千克' }])
  })

  it('a numeral and a measure word alone are no goods (三十斤 is no item called 三)', () => {
    expect(parseRecordLine('张三 三十斤', dec)).toMatchObject({
      words: ['张三', '三十斤'],
      goods: [],
    })
  })

  it('keeps the word the note was written after', () => {
    expect(parseRecordLine('张三 今天 需求 无', dec)).toMatchObject({
      note: '无',
      noteLabel: '需求',
    })
    expect(parseRecordLine('张三 今天 困难 看病', dec).noteLabel).toBe('困难')
  })
})

describe('isNeedNote', () => {
  it.each([
    ['身体健康,无特殊需求', '备注'],
    ['无', '需求'],
    ['没有', '需求'],
    ['暂无', '备注'],
    ['无需求', '需求'],
    ['暂无困难和需求', '困难'],
    ['没有什么困难', '备注'],
    ['不需要帮助', '需求'],
    ['一切正常', '需求'],
    ['一切安好。', '备注'],
    ['身体很好,生活稳定', '需求'],
    ['问了家里情况怎么样', '备注'],
    ['老人精神很好,表示感谢', '备注'],
  ] as const)('「%s」 after %s is no need', (note, label) => {
    expect(isNeedNote(note, label)).toBe(false)
  })

  it.each([
    ['腿脚不便需修缮', '备注'],
    ['孙子看病需要医疗救助', '备注'],
    ['房屋漏雨', '备注'],
    ['医疗费用报销', '备注'],
    ['子女就学困难', '备注'],
    ['身体健康,房屋漏雨需修缮', '备注'],
    ['无特殊需求,但希望解决孙子上学', '备注'],
    ['修房', '需求'],
    ['看病缺钱', '困难'],
    ['房子', '需求'],
  ] as const)('「%s」 after %s is a need', (note, label) => {
    expect(isNeedNote(note, label)).toBe(true)
  })
})
