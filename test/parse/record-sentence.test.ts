import { describe, expect, it } from 'vitest'
import { readRecordSentence, tellsVisit } from '../../src/parse/record-sentence.js'

// 2026-07-25 11:00 in Shanghai.
const options = { now: new Date('2026-07-25T03:00:00Z'), timezone: 'Asia/Shanghai' }

describe('a visit told as a sentence (a tester: 没看懂 with no example)', () => {
  it.each([
    ['昨天走访了张三，给了500块钱', '走访 张三 昨天 慰问金500元'],
    ['今天去李三家慰问了，送了两袋米', '走访 李三 今天 米2袋'],
    ['我们昨天到王一家看望了', '走访 王一 昨天'],
    ['上午慰问了赵六 八一 慰问金300元', '走访 赵六 今天 八一 慰问金300元'],
    ['刚才看望了李二', '走访 李二 今天'],
  ])('reads %s as the line %s', (text, line) => {
    expect(readRecordSentence(text, options)).toEqual({ line })
  })

  it.each(['张三走访了吗', '谁还没走访', '铁炉嘴村走访了多少户', '今天天气不错', '统计', '慰问了'])(
    'leaves %s to the questions or to 没看懂',
    (text) => {
      expect(readRecordSentence(text, options)).toBeUndefined()
    },
  )

  it('tells a visit told apart from a question about one', () => {
    expect(tellsVisit('昨天走访了张三')).toBe(true)
    expect(tellsVisit('张三走访了吗？')).toBe(false)
    expect(tellsVisit('走访'.repeat(150))).toBe(false)
  })
})
