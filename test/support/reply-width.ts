import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import { isRowsBlock, type ReplyLayout } from '../../src/replies/layout.js'
import { rowLines } from '../../src/replies/render-plain.js'

/** A reply as POST /sandbox/messages answers it. */
export interface SandboxReply {
  text: string
  layout?: ReplyLayout
}

/**
 * What a reply breaks of docs/replies.md's width rule: no table pipes; a row of aligned
 * cells (a layout's row, or a plain line padded with full-width spaces) within REPLY_WIDTH
 * columns. Free text (names, notes, long sentences) may wrap.
 */
export function widthProblems(reply: SandboxReply): string[] {
  const problems: string[] = []
  for (const line of reply.text.split('\n')) {
    if (/^\s*\|.*\|\s*$/.test(line) || /\|\s*:?-{3,}/.test(line)) {
      problems.push(`table line: ${line}`)
    }
    if (/\S\u3000+\S/.test(line) && displayWidth(line) > REPLY_WIDTH) {
      problems.push(`aligned line wider than ${REPLY_WIDTH}: ${line}`)
    }
  }
  for (const block of reply.layout?.blocks ?? []) {
    if (!isRowsBlock(block)) continue
    for (const line of rowLines(block)) {
      if (displayWidth(line) > REPLY_WIDTH) problems.push(`row wider than ${REPLY_WIDTH}: ${line}`)
    }
  }
  return problems
}

/**
 * A reply's text with the breaks made to fit a phone taken out (every line ≤ REPLY_WIDTH,
 * src/replies/wrap-lines.ts), so a test can look for a sentence wherever it was wrapped.
 * Blank lines stay: they separate a reply's parts.
 */
export function unwrapped(text: string): string {
  return text.replace(/(?<!\n)\n(?!\n)/g, '')
}

/** A reply's first line with a heading's bracketed part rejoined (`2026 八一走访` / `（截至 …）`). */
export function headingOf(text: string): string {
  return text
    .replace(/\n(?=（)/, '')
    .split('\n')[0]!
    .trimEnd()
}
