import { describe, expect, it } from 'vitest'
import { questionArgs, readQuestion } from '../../src/bot/intents.js'
import { foldText } from '../../src/parse/normalize.js'

const read = (text: string, startsWithCommand = false) =>
  readQuestion(foldText(text), startsWithCommand)

describe('readQuestion', () => {
  it.each([
    ['还有谁没走访', '未走访', ''],
    ['今年优待金发了多少', '统计', '优待金 今年'],
    ['哪些村还没发优待金', '未发放', ''],
    ['八一走访情况', '统计', '八一'],
    ['去年春节还有几户没走访？', '未走访', '去年 春节'],
    ['2025年优待金发了多少钱', '统计', '优待金 2025'],
    ['今年搞了几次活动', '统计', '活动 今年'],
    ['建军节慰问进度如何', '统计', '八一'],
    ['今年慰问金花了多少', '统计', '全年 今年'],
    ['今年一共发了多少慰问金', '统计', '全年 今年'],
    ['慰问金总共多少钱', '统计', '全年'],
    ['今年走访了多少户', '统计', '全年 今年'],
    ['今年一共走访了多少次', '统计', '全年 今年'],
    ['去年走访了多少户', '统计', '全年 去年'],
    ['去年八一走访了多少户', '统计', '去年 八一'],
    ['哪个村走访最差', '统计', '排名'],
    ['哪个村最落后', '统计', '排名'],
    ['哪个村走访最少', '统计', '排名'],
    ['春节走访排名', '统计', '排名 春节'],
    ['今天走访了谁', '统计', '今天'],
    ['今天登记了哪些', '统计', '今天'],
    ['今天谁走访了', '统计', '今天'],
    ['今天走访了几户', '统计', '今天'],
    ['今天下午走访了谁', '统计', '今天'],
    ['今天一共走访了多少户', '统计', '今天'],
    ['各村慰问金一共多少', '统计', '全年'],
    ['今年八一慰问金花了多少', '统计', '今年 八一'],
    ['今天谁还没走访', '未走访', ''],
    ['还有谁没走访', '未走访', ''],
  ])('reads 「%s」 as %s %s', (text, target, args) => {
    const question = read(text)

    expect(question?.target).toBe(target)
    expect(questionArgs(question!, [])).toBe(args)
  })

  it('leaves a person’s or a village’s name for the roster to tell apart, padding trimmed', () => {
    expect(read('王建国走访过没有')?.subjects).toEqual(['王建国'])
    expect(read('李一家优待金发了没')?.subjects).toEqual(['李一'])
    expect(read('铁炉嘴村走访进度怎么样')?.subjects).toEqual(['铁炉嘴村'])
    expect(read('李有走访了吗')?.subjects).toEqual(['李有'])
  })

  it('after a command word, only a clear question word makes a question', () => {
    expect(read('未走访 八一', true)).toBeUndefined()
    expect(read('统计 今年', true)).toBeUndefined()
    expect(read('未走访名单', true)?.target).toBe('未走访')
    expect(read('走访进度', true)?.target).toBe('统计')
    expect(read('慰问金发了多少', true)?.target).toBe('统计')
    expect(read('优待金发放情况', true)?.topic).toBe('allowance')
    expect(read('走访排名', true)?.view).toBe('ranking')
    expect(read('统计 全年', true)).toBeUndefined()
  })

  it('reads 今天 only where no command word begins the message', () => {
    expect(read('走访 张三 今天 八一？', true)).toBeUndefined()
    expect(read('今天发了几户优待金')).toBeUndefined()
  })

  it.each([
    '走访 张三 7月28日 八一 慰问金500元 米一袋',
    '走访 张三 今天 八一 备注 问了情况怎么样',
    '发放优待金 李四 8600元',
    '活动 座谈会 7月30日 人数40',
    '走访 张三',
    '没有慰问金',
    '在吗',
    '你好',
    '我今天登记',
    '撤销 #12 情况不对吗',
    'abc多少',
  ])('is not a question: 「%s」', (text) => {
    expect(read(text, /^(走访|发放优待金|活动|撤销)/.test(text))).toBeUndefined()
  })
})
