import { isRowsBlock, type ReplyLayout } from './layout.js'

/**
 * Which markdown: WeCom's (app and group-robot `markdown`: bold, quotes and line breaks as
 * typed, no lists or tables) or DingTalk's (bold, lists; a line break needs two trailing
 * spaces; tables render badly on its phone client). docs/replies.md.
 */
export type MarkdownDialect = 'wecom' | 'dingtalk'

// Marks that would turn a name or a note into formatting (or HTML, which DingTalk renders in
// part): shown as their full-width twins, which read the same and mean nothing to markdown.
const MARKS: Record<string, string> = {
  '*': '＊',
  _: '＿',
  '`': '｀',
  '<': '＜',
  '>': '＞',
  '[': '［',
  ']': '］',
  '|': '｜',
  '~': '～',
}

/**
 * `text` with every markdown mark made inert. `#` only at the start, where it makes a
 * heading: elsewhere it is a record number (`查看 #191`) a user copies as it is.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/^\s*#/, (m) => m.replace('#', '＃'))
    .replace(/[*_`<>[\]|~]/g, (m) => MARKS[m]!)
}

/**
 * Markdown for the surfaces that render it: the title in bold, the lines as they are, each
 * row as `**铁炉嘴村** 8/9 户 89% 4,000 元` (a list item on DingTalk, a quoted line on WeCom,
 * so rows stand out from the text around them). Never a table.
 */
export function renderMarkdown(layout: ReplyLayout, dialect: MarkdownDialect): string {
  const br = dialect === 'dingtalk' ? '  \n' : '\n'
  const paragraphs: string[] = [`**${escapeMarkdown(layout.title)}**`]
  for (const block of layout.blocks) {
    if (isRowsBlock(block)) {
      if (block.rows.length === 0) continue
      const rows = block.rows.map((r) => {
        const line = `**${escapeMarkdown(r.name)}** ${escapeMarkdown(r.cells.join(' '))}`
        return dialect === 'dingtalk' ? `- ${line}` : `> ${line}`
      })
      paragraphs.push(escapeMarkdown(block.caption), rows.join('\n'))
    } else if (block.lines.length > 0) {
      paragraphs.push(block.lines.map(escapeMarkdown).join(br))
    }
  }
  return paragraphs.join('\n\n')
}
