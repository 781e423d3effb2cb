import { CAMPAIGN_OCCASIONS } from '../occasions.js'
import { formatYuan } from '../parse/amount.js'
import {
  TOWNSHIP,
  type AnyRecord,
  type Goods,
  type Person,
  type Visit,
} from '../records/schemas.js'
import { shownTitle } from '../records/activity-title.js'
import { describeCategory } from './people-lookup.js'
import { labelThenName, paymentWord, visitKindLabel } from './record-lines.js'
import type { RecordServices } from './services.js'
import { goodsList } from '../replies/goods-list.js'

// How 撤销 and 修改 name a record and what changed in it: the person by name and village,
// and each changed field as it was and as it is (docs/corrections.md).

/** The people the records name, read in one round trip, by id. */
export async function peopleNamedBy(
  services: RecordServices,
  records: readonly AnyRecord[],
): Promise<Map<number, Person>> {
  const ids = new Set<number>()
  for (const r of records) {
    if ((r.kind === 'visit' || r.kind === 'payment') && r.personId !== undefined)
      ids.add(r.personId)
  }
  const found = ids.size > 0 ? await services.records.getRecords([...ids]) : []
  return new Map(found.flatMap((p) => (p.kind === 'person' ? [[p.id, p] as const] : [])))
}

/** `铁炉嘴村 张三`, a unit's name, or `#45` when the person cannot be read. */
function whoOf(
  record: Visit | Extract<AnyRecord, { kind: 'payment' }>,
  people: Map<number, Person>,
) {
  if (record.kind === 'visit' && record.personId === undefined) {
    return record.village === TOWNSHIP
      ? `${record.unitName}`
      : `${record.village} ${record.unitName}`
  }
  const person = people.get(record.personId!)
  return `${record.village} ${person?.name ?? `对象 #${record.personId}`}`
}

/** Who went along on a visit as 修改 shows a change: `无` for nobody. */
function alongOrNone(visitors: readonly string[]): string {
  return visitors.length > 1 ? visitors.slice(1).join('、') : '无'
}

/** Goods as 修改 shows a change: `无` for none, so 「物品：无 → 米2袋」 reads. */
function goodsOrNone(goods: readonly Goods[]): string {
  return goods.length === 0 ? '无' : goodsList(goods)
}

/** One line naming a record as its 已登记 reply did: `2026-07-28 八一走访 铁炉嘴村 张三，慰问金 500 元`. */
export function describeRecord(record: AnyRecord, people: Map<number, Person>): string {
  switch (record.kind) {
    case 'person':
      return `对象 ${record.village} ${record.name}（${describeCategory(record)}）`
    case 'visit': {
      const cash = record.cashFen > 0 ? `，慰问金 ${formatYuan(record.cashFen)} 元` : ''
      const goods = record.goods.length > 0 ? `，物品 ${goodsOrNone(record.goods)}` : ''
      return `${record.date} ${labelThenName(visitKindLabel(record), whoOf(record, people))}${cash}${goods}`
    }
    case 'payment':
      return `${record.date} ${paymentWord(record)} ${record.year} 年优待金 ${whoOf(record, people)} ${formatYuan(record.amountFen)} 元`
    case 'activity':
      return `${record.date} ${record.village ?? TOWNSHIP} ${shownTitle(record)}${record.count !== undefined ? ` ${record.count} 人` : ''}`
  }
}

/** What a correction leaves unchanged, to name the record by: `铁炉嘴村 张三 八一走访`. */
function subjectOf(record: AnyRecord, people: Map<number, Person>): string {
  switch (record.kind) {
    case 'person':
      return `${record.village} ${record.name}`
    case 'visit':
      return `${whoOf(record, people)} ${record.occasion}走访`
    case 'payment':
      return `${whoOf(record, people)} ${record.year} 年优待金`
    case 'activity':
      return `${record.village ?? TOWNSHIP} ${record.title ?? record.activityKind}`
  }
}

const text = (value: string | undefined) => value ?? '无'

/**
 * `已修改 #128 铁炉嘴村 张三 八一走访：慰问金 500 元 → 300 元`, one line per changed field. In a
 * group a need's text is not shown: needs are personal (medical bills, housing).
 */
export function describeCorrection(
  before: AnyRecord,
  after: AnyRecord,
  people: Map<number, Person>,
  options: { inGroup: boolean },
): string {
  const lines: string[] = []
  const change = (label: string, was: string, is: string) => {
    if (was !== is) lines.push(`${label} ${was} → ${is}`)
  }
  if ('date' in before && 'date' in after) change('日期', before.date, after.date)
  if (before.kind === 'visit' && after.kind === 'visit') {
    change('场合', before.occasion, after.occasion)
    if (before.campaignYear !== after.campaignYear || before.occasion !== after.occasion) {
      if (CAMPAIGN_OCCASIONS.has(after.occasion)) {
        lines.push(`计入 ${after.campaignYear} ${after.occasion}走访`)
      }
    }
    // A unit visited is a 部队, as 修改 names it (`修改 #N 部队 …`).
    change(
      before.personId === undefined ? '部队' : '对象',
      whoOf(before, people),
      whoOf(after, people),
    )
    change('慰问金', `${formatYuan(before.cashFen)} 元`, `${formatYuan(after.cashFen)} 元`)
    change('物品', goodsOrNone(before.goods), goodsOrNone(after.goods))
    // The first visitor logged it and stays; those after went along (visitors.ts).
    change('陪同', alongOrNone(before.visitors), alongOrNone(after.visitors))
    if (before.needs !== after.needs) {
      lines.push(
        options.inGroup
          ? `需求已${after.needs ? '更新' : '清除'}（群里不显示内容，私聊回复「待办」查看）`
          : `需求 ${text(before.needs)} → ${text(after.needs)}`,
      )
    }
    change('跟进', text(before.followUp), text(after.followUp))
  }
  if (before.kind === 'payment' && after.kind === 'payment') {
    change('金额', `${formatYuan(before.amountFen)} 元`, `${formatYuan(after.amountFen)} 元`)
  }
  if (before.kind === 'activity' && after.kind === 'activity') {
    change('名称', before.title ?? before.activityKind, after.title ?? after.activityKind)
    change('部队', text(before.unitName), text(after.unitName))
    change(
      '人数',
      before.count === undefined ? '无' : String(before.count),
      after.count === undefined ? '无' : String(after.count),
    )
  }
  change('备注', text(before.notes), text(after.notes))
  const head = `已修改 #${after.id} ${subjectOf(before, people)}：`
  return lines.length === 1 ? `${head}${lines[0]}` : [head, ...lines].join('\n')
}
