import type { Reply } from '../platforms/types.js'
import { isRowsBlock, type ReplyBlock } from './layout.js'
import { renderPlain } from './render-plain.js'

/**
 * The reply of a title and blocks. With rows it keeps its layout for the surfaces that render
 * one; without, it is plain lines, as every other command's reply is. `text` is always the
 * plain rendering (what WeCom shows, and what logs and tests read).
 */
export function replyOf(title: string, blocks: readonly ReplyBlock[]): Reply {
  const kept = blocks.filter((b) => (isRowsBlock(b) ? b.rows.length > 0 : b.lines.length > 0))
  const layout = { title, blocks: kept }
  const text = renderPlain(layout)
  return kept.some(isRowsBlock) ? { text, layout } : { text }
}
