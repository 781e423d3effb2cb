import { formatYuan } from '../parse/amount.js'
import { removalText } from '../records/person-fields.js'
import { CONSCRIPT_FAMILY, OCCASIONS, standardFenFor, type Person } from '../records/schemas.js'
import { localDateOf, partsOf } from '../time/local-date.js'
import { describeCategory } from './people-lookup.js'
import type { RecordServices } from './services.js'

/**
 * One person's card for 对象 and 查看: who they are, then the newest visit per occasion, the
 * allowance per year and the open needs, this year and last. Phone and ID number are masked
 * unless `reveal` (an admin in a private chat); `inGroup` needs are only counted and notes only
 * said to exist.
 */
export async function personCard(
  services: RecordServices,
  person: Person,
  options: { reveal: boolean; now: Date; inGroup: boolean },
): Promise<string> {
  const thisYear = partsOf(localDateOf(options.now, services.timezone)).year
  const [clear, history, open] = await Promise.all([
    options.reveal ? services.people.revealPii(person.id) : undefined,
    services.people.historyOf(person.id, thisYear - 1),
    services.visits.openHelpCases([person.village]),
  ])
  const phone = clear?.phone ?? person.phoneMasked
  const idNumber = clear?.idNumber ?? person.idNumberMasked
  const removed = person.status === 'withdrawn' ? '（已移除）' : ''
  const lines = [
    `#${person.id} ${person.name}${removed}（${describeCategory(person)}）`,
    ...(person.status === 'withdrawn' ? [`移出原因：${removalText(person.removal)}`] : []),
    [person.village, person.householdType].filter(Boolean).join('，'),
    ...(person.soldierName ? [`义务兵 ${person.soldierName}`] : []),
    ...(phone ? [`电话 ${phone}`] : []),
    ...(idNumber ? [`身份证 ${idNumber}`] : []),
    // A person's notes often say an illness or a hardship (「患癌症，家庭困难」): kept out of a
    // group chat, as a family's needs are, and said to be there.
    ...(person.notes ? [options.inGroup ? '有备注（私聊查看）' : `备注 ${person.notes}`] : []),
  ]
  const newest = OCCASIONS.map((occasion) => history.visits.find((v) => v.occasion === occasion))
  const visits = newest.filter((v) => v !== undefined)
  if (visits.length === 0) lines.push(`${thisYear - 1} 年以来没有走访记录`)
  else lines.push(...visits.map((v) => `${v.occasion}走访 ${v.date}`))
  const byYear = new Map<number, { fen: number; count: number }>()
  for (const p of history.payments) {
    const year = byYear.get(p.year) ?? { fen: 0, count: 0 }
    byYear.set(p.year, { fen: year.fen + p.amountFen, count: year.count + 1 })
  }
  // A family paid part of its standard is still owed the rest: said on the card, as 未发放
  // names it (a tester's 孙二, paid 4,000 of 8,900, read as paid).
  const standards = await Promise.all(
    [...byYear.keys()].map((year) => services.allowances.getAllowanceStandard(year)),
  )
  ;[...byYear].forEach(([year, paid], i) => {
    const times = paid.count > 1 ? `（${paid.count} 笔）` : ''
    const standard = standards[i]
    const due =
      standard && person.category === CONSCRIPT_FAMILY && person.householdType
        ? standardFenFor(standard, person.householdType)
        : undefined
    const owed =
      due !== undefined && paid.fen < due ? `，尚欠 ${formatYuan(due - paid.fen)} 元` : ''
    lines.push(`${year} 年优待金 ${formatYuan(paid.fen)} 元${times}${owed}`)
  })
  if (person.category === CONSCRIPT_FAMILY && !byYear.has(thisYear)) {
    lines.push(`${thisYear} 年优待金未发放`)
  }
  const needs = open.filter((v) => v.personId === person.id)
  // A family's needs stay out of a group chat, as the visit's own reply keeps them out.
  if (options.inGroup && needs.length > 0) lines.push(`待办 ${needs.length} 项（私聊查看）`)
  else lines.push(...needs.map((v) => `待办 #${v.id} ${v.needs}`))
  return lines.join('\n')
}
