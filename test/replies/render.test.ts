import { describe, expect, it } from 'vitest'
import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import { replyLayoutSchema, type ReplyLayout } from '../../src/replies/layout.js'
import { escapeMarkdown, renderMarkdown } from '../../src/replies/render-markdown.js'
import { renderPlain } from '../../src/replies/render-plain.js'
import { replyOf } from '../../src/replies/reply-of.js'

const TALLY: ReplyLayout = {
  title: '2026 八一走访（进行中）',
  blocks: [
    { lines: ['全镇：应访 12 户，已访 3 户（25%）'] },
    {
      caption: '各村（已访/应访，完成率，慰问金）：',
      rows: [
        { name: '铁炉嘴村', cells: ['2/4 户', '50%', '800 元'] },
        { name: '新街社区', cells: ['0/4 户', '0%', '0 元'] },
        { name: '全镇（单位）', cells: ['走访 1 次', '3,000 元'] },
      ],
    },
    { lines: ['未走访 9 户，回复「未走访 八一」查看名单。'] },
  ],
}

describe('displayWidth', () => {
  it('counts a Chinese character or full-width mark as two columns and ASCII as one', () => {
    expect(displayWidth('铁炉嘴村')).toBe(8)
    expect(displayWidth('2/4 户')).toBe(6)
    expect(displayWidth('（单位）　—…')).toBe(14)
    expect(displayWidth('abc')).toBe(3)
    expect(REPLY_WIDTH).toBe(40)
  })
})

describe('renderPlain', () => {
  it('gives the title and lines, then the caption and one aligned line per row set apart by blank lines', () => {
    expect(renderPlain(TALLY)).toBe(
      [
        '2026 八一走访（进行中）',
        '全镇：应访 12 户，已访 3 户（25%）',
        '',
        '各村（已访/应访，完成率，慰问金）：',
        '铁炉嘴村　2/4 户 50% 800 元',
        '新街社区　0/4 户 0% 0 元',
        '全镇（单位）　走访 1 次 3,000 元',
        '',
        '未走访 9 户，回复「未走访 八一」查看名单。',
      ].join('\n'),
    )
  })

  it('pads shorter names with full-width spaces, and an odd gap with one ASCII space', () => {
    const text = renderPlain({
      title: '活动',
      blocks: [
        {
          caption: '按类别：',
          rows: [
            { name: '晚会', cells: ['1 次'] },
            { name: '学生军训', cells: ['2 次'] },
            { name: 'A区', cells: ['3 次'] },
          ],
        },
      ],
    })

    expect(text.split('\n').slice(3)).toEqual([
      '晚会　　　1 次',
      '学生军训　2 次',
      'A区　　 　3 次',
    ])
  })

  it('when any row would pass 40 columns, shows every row as a two-line card', () => {
    const text = renderPlain({
      title: '统计',
      blocks: [
        {
          caption: '各村：',
          rows: [
            { name: '铁炉嘴村', cells: ['77/77 户', '100%', '慰问金 138,500 元', '物品 米40袋'] },
            { name: '石门村', cells: ['1/2 户'] },
          ],
        },
      ],
    })

    expect(text.split('\n').slice(3)).toEqual([
      '铁炉嘴村',
      '　77/77 户 100% 慰问金 138,500 元 物品 米40袋',
      '石门村',
      '　1/2 户',
    ])
  })
})

describe('renderMarkdown', () => {
  it('on DingTalk, bolds the title and names, breaks lines with two spaces and lists the rows', () => {
    expect(renderMarkdown(TALLY, 'dingtalk')).toBe(
      [
        '**2026 八一走访（进行中）**',
        '',
        '全镇：应访 12 户，已访 3 户（25%）',
        '',
        '各村（已访/应访，完成率，慰问金）：',
        '',
        '- **铁炉嘴村** 2/4 户 50% 800 元',
        '- **新街社区** 0/4 户 0% 0 元',
        '- **全镇（单位）** 走访 1 次 3,000 元',
        '',
        '未走访 9 户，回复「未走访 八一」查看名单。',
      ].join('\n'),
    )
  })

  it('on WeCom, quotes the rows (its markdown has no lists) and never makes a table', () => {
    const md = renderMarkdown(TALLY, 'wecom')

    expect(md).toContain('\n\n> **铁炉嘴村** 2/4 户 50% 800 元\n> **新街社区** 0/4 户 0% 0 元\n')
    expect(md).not.toContain('|')
    expect(md).not.toMatch(/^- /m)
  })

  it('when a name or line holds markdown marks or HTML, shows them as text', () => {
    const md = renderMarkdown(
      {
        title: '# 统计 *全镇*',
        blocks: [
          { lines: ['<b>x</b> [链接](http://x) a_b `c` | d', '查看 #191'] },
          { caption: '各村：', rows: [{ name: '**石门村**', cells: ['1 户'] }] },
        ],
      },
      'dingtalk',
    )

    expect(md).toContain('**＃ 统计 ＊全镇＊**')
    expect(md).toContain('＜b＞x＜/b＞ ［链接］(http://x) a＿b ｀c｀ ｜ d  \n查看 #191')
    expect(md).toContain('- **＊＊石门村＊＊** 1 户')
    expect(escapeMarkdown('#1 号')).toBe('＃1 号')
  })
})

describe('replyOf', () => {
  it('keeps the layout of a reply with rows, as plain JSON the queue and outbox can carry', () => {
    const reply = replyOf(TALLY.title, TALLY.blocks)

    expect(reply.text).toBe(renderPlain(TALLY))
    expect(replyLayoutSchema.parse(JSON.parse(JSON.stringify(reply.layout)))).toEqual(TALLY)
  })

  it('makes a reply of lines only a plain text reply, the same lines as before', () => {
    const reply = replyOf('2026 八一走访（进行中）', [
      { lines: ['铁炉嘴村：应访 4 户'] },
      { caption: '各村：', rows: [] },
      { lines: [] },
      { lines: ['未走访 2 户。'] },
    ])

    expect(reply).toEqual({ text: '2026 八一走访（进行中）\n铁炉嘴村：应访 4 户\n未走访 2 户。' })
  })
})
