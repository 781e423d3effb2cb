/**
 * `91%` of `done` out of `of`; never 100% while one is missing (76/77 would round to it) and
 * `—` when there is nothing to cover. The one rounding of every coverage figure, so a leader's
 * reminder and 统计 at the same moment say the same percentage.
 */
export function percent(done: number, of: number): string {
  if (of <= 0) return '—'
  const p = Math.round((done / of) * 100)
  return `${done < of ? Math.min(p, 99) : p}%`
}
