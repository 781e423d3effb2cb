import type { Person } from '../records/schemas.js'
import { describeCategory } from './people-lookup.js'

/** People per page of a roster: one phone screen with its heading and footer. */
export const ROSTER_PAGE_SIZE = 15

/**
 * One page of a numbered roster, grouped by village in the order given, with how to ask for
 * the next page (`nextCommand` + page number). `page` is 1-based; past the end is refused.
 */
export function rosterPage(
  people: readonly Person[],
  options: { title: string; page: number; nextCommand: string },
): string {
  const pages = Math.max(1, Math.ceil(people.length / ROSTER_PAGE_SIZE))
  if (options.page > pages) {
    return `${options.title}共 ${people.length} 人，只有 ${pages} 页。回复「${options.nextCommand}」从第 1 页看。`
  }
  const start = (options.page - 1) * ROSTER_PAGE_SIZE
  const shown = people.slice(start, start + ROSTER_PAGE_SIZE)
  const lines = [`${options.title}共 ${people.length} 人：`]
  let village: string | undefined
  shown.forEach((p, i) => {
    if (p.village !== village && new Set(people.map((q) => q.village)).size > 1) {
      lines.push(`【${p.village}】`)
    }
    village = p.village
    const household = p.householdType ? `·${p.householdType}` : ''
    lines.push(`${start + i + 1}. ${p.name} ${describeCategory(p)}${household}`)
  })
  if (pages > 1) {
    const next =
      options.page < pages
        ? `回复「${options.nextCommand} ${options.page + 1}」看下一页。`
        : '已是最后一页。'
    lines.push(`第 ${options.page}/${pages} 页，${next}`)
  }
  lines.push('回复「对象 姓名」看某人详情。')
  return lines.join('\n')
}
