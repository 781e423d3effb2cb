import { REPLY_WIDTH, displayWidth } from './display-width.js'
import { isRowsBlock, type ReplyLayout, type ReplyRow, type RowsBlock } from './layout.js'

/**
 * Plain text for surfaces that show no markdown (WeCom passive replies and text app
 * messages, logs, tests): the title, the lines, and each row as one aligned line,
 * `铁炉嘴村 8/9 户 89% 4,000 元` (a full-width space after the name), or as a two-line
 * card when a row would not fit a phone's width. A rows block stands apart by a blank line
 * before it and after it.
 */
export function renderPlain(layout: ReplyLayout): string {
  const parts: string[][] = [[layout.title]]
  for (const block of layout.blocks) {
    if (!isRowsBlock(block)) {
      if (block.lines.length > 0) parts[parts.length - 1]!.push(...block.lines)
      continue
    }
    if (block.rows.length === 0) continue
    parts.push([block.caption, ...rowLines(block)], [])
  }
  return parts
    .filter((p) => p.length > 0)
    .map((p) => p.join('\n'))
    .join('\n\n')
}

// A full-width space pads a name: it is exactly one Chinese character wide in any Chinese
// font, where ASCII spaces are narrower and would never line the cells up.
const PAD = '\u3000'
// Names longer than this are not padded to (nor counted): one long name (`全镇（单位）`) would
// push every row's cells right.
const ALIGN_MAX_COLUMNS = 10

/** The lines of a rows block: one aligned line per row, or name and cells on two lines each. */
export function rowLines(block: RowsBlock): string[] {
  const widths = block.rows.map((r) => displayWidth(r.name)).filter((w) => w <= ALIGN_MAX_COLUMNS)
  const nameColumns = Math.max(0, ...widths)
  const lines = block.rows.map((row) => oneLine(row, nameColumns))
  if (lines.every((l) => displayWidth(l) <= REPLY_WIDTH)) return lines
  return block.rows.flatMap((row) => [row.name, `${PAD}${row.cells.join(' ')}`])
}

function oneLine(row: ReplyRow, nameColumns: number): string {
  const missing = Math.max(0, nameColumns - displayWidth(row.name))
  // An odd gap (a name with ASCII in it) is closed with one ASCII space.
  const pad = PAD.repeat(Math.floor(missing / 2)) + (missing % 2 ? ' ' : '')
  return `${row.name}${pad}${PAD}${row.cells.join(' ')}`
}
