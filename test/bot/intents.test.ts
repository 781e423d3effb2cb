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

  it.each(['本周我走访了几户', '我这个月走访了几户', '我今天走访了谁'])(
    'reads 「%s」 as a question about visits, the 我 no name',
    (text) => {
      expect(read(text)).toMatchObject({ topic: 'visits', subjects: [] })
    },
  )

  it('reads 本周我走访了几户 as the asker’s own, 本周走访了几户 as their villages’', () => {
    expect(read('本周我走访了几户')).toMatchObject({ answer: 'span', own: true })
    expect(read('本周走访了几户')).not.toHaveProperty('own')
  })

  it.each([
    ['去年春节走访', 'visits'],
    ['2026年优待金', 'allowance'],
    ['本月走访', 'visits'],
    ['上周走访', 'visits'],
  ] as const)('reads the heading-like query 「%s」 as a question about %s', (text, topic) => {
    expect(read(text)).toMatchObject({ topic, subjects: [] })
  })

  it.each(['日常走访', '元旦前走访完', '昨天走访', '春节走访 张三'])(
    'leaves 「%s」, which may answer a form’s question, as no question',
    (text) => {
      expect(read(text)).toBeUndefined()
    },
  )

  it('reads 李一元旦走访了吗 with 元旦 the occasion, not 一元 as money (a tester)', () => {
    expect(read('李一元旦走访了吗')).toMatchObject({ occasion: '元旦', subjects: ['李一'] })
  })

  it('reads 慰问品发了多少 as 统计, not 品 as a name (a tester)', () => {
    expect(read('慰问品发了多少')).toMatchObject({ target: '统计', subjects: [] })
  })

  it.each([
    '李一去过了吗',
    '去李一家了吗',
    '李一家去过没有',
    '有没有去过李一家',
    '李一看过了没',
    '到李一家看了吗',
  ])('reads 「%s」, going to a household in speech, as asking about 李一’s visits', (text) => {
    expect(read(text)).toMatchObject({ topic: 'visits', subjects: ['李一'] })
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
    expect(read('今天发了几户优待金')).toMatchObject({ answer: 'span', span: '今天' })
  })

  it.each([
    ['这个月走访了谁', 'visits', '本月', true],
    ['本周走访了谁', 'visits', '本周', true],
    ['这周都走访了哪些户', 'visits', '本周', true],
    ['昨天走访了谁', 'visits', '昨天', true],
    ['前天走访了几户', 'visits', '前天', false],
    ['上周走访了几户', 'visits', '上周', false],
    ['上个月走访了多少户', 'visits', '上月', false],
    ['本月走访了多少户', 'visits', '本月', false],
    ['今天发了几户优待金', 'allowance', '今天', false],
    ['这个月发了多少优待金', 'allowance', '本月', false],
    ['上个月优待金发了多少', 'allowance', '上月', false],
  ])('reads 「%s」 as the %s logged in %s', (text, topic, span, list) => {
    const question = read(text)

    expect(question).toMatchObject({ answer: 'span', topic, span })
    expect(!!question?.list).toBe(list)
  })

  it('a run of days with another year is not understood rather than answered for this one', () => {
    expect(read('去年这个月走访了多少户')).toBeUndefined()
    expect(read('今年这个月走访了多少户')).toMatchObject({ answer: 'span', span: '本月' })
  })

  it('a run of days compared by village is ranked, not listed', () => {
    expect(read('本周哪个村走访最多')).toMatchObject({ answer: 'span', ranked: true })
    expect(read('本周哪个村走访最多')?.list).toBeUndefined()
  })

  it('the asker’s own records: today and this week are 我的记录, another run its own answer', () => {
    expect(read('我这周登记了哪些')).toMatchObject({ target: '我的记录', week: true })
    expect(read('我上周登记了哪些')).toMatchObject({ answer: 'mine', span: '上周' })
    expect(read('这个月我都录了几条')).toMatchObject({ answer: 'mine', span: '本月' })
    expect(read('我昨天登记')).toBeUndefined()
  })

  it('keeps 今天’s visits with 统计 今天, but a category or an occasion on a day is its own answer', () => {
    expect(read('今天走访了几户')?.view).toBe('today')
    expect(read('今天残疾军人走访了几户')).toMatchObject({ answer: 'span', category: '残疾军人' })
    expect(read('本周八一走访了几户')).toMatchObject({ answer: 'span', occasion: '八一' })
  })

  it.each([
    '走访 张三 昨天 日常',
    '走访 张三 上周五 日常',
    '发放优待金 李二 本月',
    '走访 李一 前天 八一？',
  ])('a record line with a day word stays a record: 「%s」', (text) => {
    expect(read(text, true)).toBeUndefined()
  })

  it.each([
    ['离八一还有几天', '八一', undefined, false],
    ['离春节还有几天？', '春节', undefined, false],
    ['离元旦还有多少天', '元旦', undefined, false],
    ['距离建军节还有几天', '八一', undefined, false],
    ['八一是哪天', '八一', undefined, false],
    ['明年春节是几月几号', '春节', '明年', false],
    ['2028年春节是哪天', '春节', '2028年', false],
    ['还有几天过年', '春节', undefined, false],
    ['离除夕还有几天', '春节', undefined, true],
  ])('reads 「%s」 as the days to %s', (text, occasion, year, eve) => {
    const question = read(text)

    expect(question).toMatchObject({ answer: 'countdown', occasion })
    expect(question?.year).toBe(year)
    expect(!!question?.eve).toBe(eve)
  })

  it.each([
    ['优待金截止还有几天', undefined],
    ['优待金什么时候截止', undefined],
    ['离优待金截止还有几天', undefined],
    ['今年优待金截止日期是哪天', '今年'],
    ['优待金还有几天截止', undefined],
  ])('reads 「%s」 as the days to the allowance deadline', (text, year) => {
    const question = read(text, text.startsWith('优待金截止'))

    expect(question).toMatchObject({ answer: 'countdown', topic: 'allowance' })
    expect(question?.year).toBe(year)
  })

  it('优待金截止 with a date is still the command that sets it', () => {
    expect(read('优待金截止 2027-07-25', true)).toBeUndefined()
    expect(read('优待金截止 2027 7月25日', true)).toBeUndefined()
  })

  it('a day without a campaign has no countdown', () => {
    expect(read('离日常还有几天')?.answer).not.toBe('countdown')
  })

  it.each([
    ['一共有多少优抚对象', undefined, []],
    ['全镇有多少户', undefined, []],
    ['各村有多少优抚对象', undefined, []],
    ['铁炉嘴村有几户优抚对象', undefined, ['铁炉嘴村']],
    ['铁炉嘴村有几户', undefined, ['铁炉嘴村']],
    ['残疾军人有几户', '残疾军人', []],
    ['全镇有多少烈属', '烈士遗属', []],
  ])('reads 「%s」 as the roster’s count', (text, category, subjects) => {
    const question = read(text)

    expect(question).toMatchObject({ answer: 'roster', subjects })
    expect(question?.category).toBe(category)
  })

  it('still reads the outstanding and the progress as before, not the roster', () => {
    expect(read('八一还有几户没走访')?.target).toBe('未走访')
    expect(read('还有几户')).toBeUndefined()
    expect(read('铁炉嘴村走访进度怎么样')?.answer).toBeUndefined()
    expect(read('义务兵家庭名单')?.target).toBe('花名册')
  })

  it.each([
    ['残疾军人走访了几户', '残疾军人', undefined],
    ['烈属走访了没有', '烈士遗属', undefined],
    ['伤残军人走访完了吗', '残疾军人', undefined],
    ['春节烈士家属走访情况', '烈士遗属', '春节'],
  ])('reads 「%s」 as the visits of one category', (text, category, occasion) => {
    const question = read(text)

    expect(question).toMatchObject({ answer: 'category', category, subjects: [] })
    expect(question?.occasion).toBe(occasion)
  })

  it('reads a category’s unvisited as that category’s list', () => {
    expect(read('残疾军人还有谁没走访')).toMatchObject({
      target: '未走访',
      answer: 'category',
      category: '残疾军人',
      list: true,
    })
    expect(read('还有谁没走访')?.answer).toBeUndefined()
  })

  it.each([
    ['有哪些待办', '待办', undefined],
    ['我的待办', '待办', undefined],
    ['今天有哪些待办', '待办', undefined],
    ['还有几件待办', '待办', undefined],
    ['我还有什么没办', '统计', 'todo'],
    ['我今天还有什么没办', '统计', 'todo'],
    ['帮扶还有几件没办结', '待办', undefined],
    ['还有哪些困难没解决', '待办', undefined],
    ['还有哪些事没做', '统计', 'todo'],
    ['我们还有什么工作要做', '统计', 'todo'],
  ])('reads 「%s」 as what is still to do', (text, target, answer) => {
    const question = read(text)

    expect(question?.target).toBe(target)
    expect(question?.answer).toBe(answer)
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
