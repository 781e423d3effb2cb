import { formatYuan } from '../parse/amount.js'

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

/**
 * `91%` of `done` out of `of`; never 100% while one is missing (76/77 would round to it) and
 * `—` when there is nothing to cover.
 */
export function percent(done: number, of: number): string {
  if (of <= 0) return '—'
  const p = Math.round((done / of) * 100)
  return `${done < of ? Math.min(p, 99) : p}%`
}

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
