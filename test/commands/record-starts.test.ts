import { describe, expect, it } from 'vitest'
import { recordTextsOf } from '../../src/commands/batch-records.js'
import { isOneRecord, recordStarts } from '../../src/commands/people-lookup.js'

// Where the records of a record command's text begin (docs/lookups.md, "One record over several
// lines"); the text is the command's args, folded.
describe('recordStarts', () => {
  const starts = (text: string) => recordStarts(text.split('\n'))

  it('reads lines that only add fields as one record', () => {
    expect(starts('张三\n今天\n八一\n慰问金500元\n米一袋')).toEqual([0])
    expect(starts('赵六\n童家坝村\n今天 八一')).toEqual([0])
    expect(starts('张三 今天 八一\n备注:房屋漏雨\n需要修缮')).toEqual([0])
    expect(starts('张三 今天 八一 备注 老人腿脚不便\n需要一副拐杖')).toEqual([0])
    expect(isOneRecord(['张三', '今天 八一', '慰问金500元'])).toBe(true)
  })

  it('starts a record at a line that names someone', () => {
    expect(starts('张三 今天 日常\n李一 今天 日常')).toEqual([0, 1])
    expect(isOneRecord(['张三 今天 日常', '李一 今天 日常'])).toBe(false)
  })

  it('starts a record at a line that begins with a command word, after a 备注 too', () => {
    expect(starts('张三 今天 八一 备注 一切安好\n走访 李一 今天 八一')).toEqual([0, 1])
    expect(starts('张三 今天 八一 备注 一切安好\n慰问李一 今天 八一')).toEqual([0, 1])
    expect(starts('张三 今天 八一 备注\n发放优待金 李一')).toEqual([0, 1])
    expect(starts('张三 今天 八一 备注 一切安好\n活动 座谈会 今天')).toEqual([0, 1])
  })

  it('takes 慰问金 and 慰问品 at a line’s start for fields, not the command 慰问', () => {
    expect(starts('张三\n今天 八一\n慰问金500元')).toEqual([0])
    expect(starts('张三 今天 八一\n慰问品 米一袋')).toEqual([0])
  })

  it('starts a record at a line after a 备注 that reads as a record line of its own', () => {
    expect(starts('张三 今天 八一 备注 一切安好\n李一 今天 八一')).toEqual([0, 1])
    expect(starts('张三 今天 八一 备注 一切安好\n李一 八一\n慰问金300元')).toEqual([0, 1])
  })

  it('keeps records apart and their field lines with them', () => {
    expect(starts('张三\n今天 八一\n备注 一切安好\n走访 李一\n今天 八一\n慰问金300元')).toEqual([
      0, 3,
    ])
  })
})

describe('recordTextsOf', () => {
  it('joins a record’s lines, as folded and as typed alike', () => {
    expect(
      recordTextsOf(
        '张三 今天 八一 备注:身体健康\n走访 李一 今天 八一\n备注:房屋漏雨,\n需修缮',
        '張三 今天 八一 備註：身體健康\n走訪 李一 今天 八一\n備註：房屋漏雨，\n需修繕',
      ),
    ).toEqual([
      { text: '张三 今天 八一 备注:身体健康', typed: '張三 今天 八一 備註：身體健康' },
      {
        text: '走访 李一 今天 八一 备注:房屋漏雨, 需修缮',
        typed: '走訪 李一 今天 八一 備註：房屋漏雨， 需修繕',
      },
    ])
  })

  it('has no typed text when the lines do not match, and one record for one line', () => {
    expect(recordTextsOf('张三 今天\n李一 今天', '张三 今天')).toEqual([
      { text: '张三 今天' },
      { text: '李一 今天' },
    ])
    expect(recordTextsOf('张三 今天 八一', '張三 今天 八一')).toEqual([{ text: '张三 今天 八一' }])
    expect(recordTextsOf('')).toEqual([])
  })
})
