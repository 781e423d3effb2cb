import { formatYuan } from '../parse/amount.js'
import type { Reply } from '../platforms/types.js'
import { REPLY_WIDTH, displayWidth } from '../replies/display-width.js'
import { isRowsBlock, type ReplyBlock } from '../replies/layout.js'
import { replyOf } from '../replies/reply-of.js'
import { wrapAll, wrapToWidth } from '../replies/wrap-lines.js'

/**
 * Pieces of the tally replies: figures as they read in a line or a row's cell. The rows
 * themselves are a reply layout (src/replies), which each surface renders (docs/replies.md).
 */

/** `4,000 元`: an amount with its unit, so a line or a row's cell reads without a header. */
export function yuan(fen: number): string {
  return `${formatYuan(fen)} 元`
}

/** At most this many rows in a reply: one chat screen. */
export const MAX_TABLE_ROWS = 12

export { percent } from '../replies/percent.js'

/** `+2`, `-1`, `0`: a signed whole number with thousands separators. */
export function signed(n: number): string {
  const abs = Math.abs(n).toLocaleString('en-US')
  return n > 0 ? `+${abs}` : n < 0 ? `-${abs}` : '0'
}

/** `+17,600 元`: a signed amount of fen in 元. */
export function signedYuan(fen: number): string {
  return `${fen > 0 ? '+' : ''}${formatYuan(fen)} 元`
}

/**
 * The rows to show: all of them up to MAX_TABLE_ROWS, else those that need attention first
 * (lowest `urgency`), kept in their original order; `omitted` says how many were left out.
 */
export function fitRows<T>(
  rows: readonly T[],
  urgency: (row: T) => number,
): { shown: T[]; omitted: number } {
  if (rows.length <= MAX_TABLE_ROWS) return { shown: [...rows], omitted: 0 }
  const order = new Map(rows.map((r, i) => [r, i]))
  const shown = [...rows]
    .sort((a, b) => urgency(a) - urgency(b) || order.get(a)! - order.get(b)!)
    .slice(0, MAX_TABLE_ROWS)
    .sort((a, b) => order.get(a)! - order.get(b)!)
  return { shown, omitted: rows.length - shown.length }
}

/** `全镇`, `铁炉嘴村`, `铁炉嘴村、童家坝村`, `所辖 5 个村（社区）`: whom the figures cover. */
export function scopeLabel(villages: readonly string[] | undefined): string {
  if (!villages) return '全镇'
  return villages.length <= 3 ? villages.join('、') : `所辖 ${villages.length} 个村（社区）`
}

/**
 * The reply of `title` and `blocks` at a phone's width (docs/replies.md, "The width rule"):
 * every line of the lines blocks broken by wrapToWidth, and in the text a title wider than a
 * line broken by titleLines, its first line the heading and the rest the reply's next lines
 * (`2027 元旦走访` / `（截至 12-01，距元旦 31 天）`). The layout keeps the whole title, which the
 * markdown surfaces show in bold and wrap themselves. Nothing is dropped: the lines joined are
 * the sentences again. Rows are one line each, or a two-line card when one would not fit
 * (render-plain.ts).
 */
export function phoneReply(title: string, blocks: readonly ReplyBlock[]): Reply {
  const [head = '', ...rest] = titleLines(title)
  const wrapped = blocks.map((b) => (isRowsBlock(b) ? b : { lines: wrapAll(b.lines) }))
  const shown = [...wrapped]
  if (rest.length > 0) {
    const first = shown[0]
    if (first && !isRowsBlock(first)) shown[0] = { lines: [...rest, ...first.lines] }
    else shown.unshift({ lines: rest })
  }
  const { text } = replyOf(head, shown)
  const { layout } = replyOf(title, wrapped)
  return layout ? { text, layout } : { text }
}

/**
 * A heading at a phone's width: as it is when it fits, else the words and their closing
 * 「（…）」 on a line each when both fit (`2026 年义务兵家庭优待金` / `（截止 07-31，已过 123 天）`),
 * else broken as any line is (wrapToWidth).
 */
export function titleLines(title: string): string[] {
  if (displayWidth(title) <= REPLY_WIDTH) return [title]
  const chars = [...title]
  if (chars.at(-1) === '）') {
    // The 「（」 that the last 「）」 closes, past any aside inside it (`（所辖 5 个村（社区），…）`).
    let depth = 0
    for (let i = chars.length - 1; i > 0; i--) {
      if (chars[i] === '）') depth++
      else if (chars[i] === '（' && --depth === 0) {
        const head = chars.slice(0, i).join('').trimEnd()
        const aside = chars.slice(i).join('')
        if (displayWidth(head) <= REPLY_WIDTH && displayWidth(aside) <= REPLY_WIDTH) {
          return [head, aside]
        }
        break
      }
    }
  }
  return wrapToWidth(title)
}

/** Plain lines at a phone's width, as one reply's text (phoneReply for replies without rows). */
export function phoneText(lines: readonly string[]): Reply {
  return { text: wrapAll(lines).join('\n') }
}
