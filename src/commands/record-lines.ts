import { CAMPAIGN_OCCASIONS } from '../occasions.js'
import { formatYuan } from '../parse/amount.js'
import { wrapToWidth } from '../replies/wrap-lines.js'
import type { AllowancePayment, AnyRecord, Person, Visit } from '../records/schemas.js'
import { partsOf } from '../time/local-date.js'
import { describeActivity } from './activity.js'
import { describeCategory } from './people-lookup.js'
import { goodsList } from '../replies/goods-list.js'

/** What a record's kind reads as in a list: 走访, 优待金, 活动, 对象. */
export const KIND_WORDS: Record<AnyRecord['kind'], string> = {
  visit: '走访',
  payment: '优待金',
  activity: '活动',
  person: '对象',
}

/** `（已撤销）` for a withdrawn record, `（已撤销：重复登记）` with the reason it was given. */
export function withdrawnMark(record: AnyRecord): string {
  if (record.status !== 'withdrawn') return ''
  return record.withdrawReason ? `（已撤销：${record.withdrawReason}）` : '（已撤销）'
}

/** The village a record belongs to, for the scope check; undefined for the township's own. */
export function villageOfRecord(record: AnyRecord): string | undefined {
  if (record.kind === 'activity') return record.village
  if (record.kind === 'visit' && record.village === '全镇') return undefined
  return record.village
}

/**
 * `八一走访`, or `春节走访（2027 春节）` for a visit filed under another year's season than its
 * date's (2026-12-02 for the 2027 春节): the label every reply naming a visit gives it.
 */
export function visitKindLabel(visit: Pick<Visit, 'occasion' | 'campaignYear' | 'date'>): string {
  const season = filedUnderOtherYear(visit) ? `（${visit.campaignYear} ${visit.occasion}）` : ''
  return `${visit.occasion}走访${season}`
}

/** Whether a campaign visit counts toward another year's season than its date's. */
export function filedUnderOtherYear(
  visit: Pick<Visit, 'occasion' | 'campaignYear' | 'date'>,
): boolean {
  return CAMPAIGN_OCCASIONS.has(visit.occasion) && visit.campaignYear !== partsOf(visit.date).year
}

/** `label who`: no space after a closing 「）」, which already parts them (`（2027 春节）铁炉嘴村`). */
export function labelThenName(label: string, who: string): string {
  return `${label}${label.endsWith('）') ? '' : ' '}${who}`
}

/** `2026-07-28 八一走访 铁炉嘴村 张三`: a visit on one line, as its record reads. */
export function visitHeadline(visit: Visit, person: Person | undefined): string {
  const who = person ? `${visit.village} ${person.name}` : (visit.unitName ?? visit.village)
  return `${visit.date} ${labelThenName(visitKindLabel(visit), who)}`
}

/**
 * A visit's details: cash, goods, the need and whether it is closed, its notes (in a group, only
 * that there are some), who went.
 */
export function visitDetails(visit: Visit, inGroup: boolean): string[] {
  const goods = goodsList(visit.goods)
  const lines = [`慰问金 ${formatYuan(visit.cashFen)} 元${goods ? `；物品 ${goods}` : ''}`]
  if (visit.needs) {
    const state = visit.resolvedAt ? `已于 ${visit.resolvedAt} 办结` : '待办'
    lines.push(inGroup ? `发现需求 1 项（${state}，私聊查看）` : `需求：${visit.needs}（${state}）`)
  }
  if (visit.notes) lines.push(inGroup ? '有备注（私聊查看）' : `备注：${visit.notes}`)
  // With 陪同 names the list can run long: wrapped after a 「、」 to a phone's width.
  lines.push(...wrapToWidth(`走访人 ${visit.visitors.join('、')}`))
  return lines
}

/** 补发 for a top-up (its `topUp`), 发放 otherwise: what a payment's lines call it. */
export function paymentWord(payment: Pick<AllowancePayment, 'topUp'>): '补发' | '发放' {
  return payment.topUp ? '补发' : '发放'
}

/** `2026-07-20 铁炉嘴村 李一 2026 年优待金 5,800 元`. */
export function paymentHeadline(payment: AllowancePayment, person: Person | undefined): string {
  return `${payment.date} ${payment.village} ${person?.name ?? `#${payment.personId}`} ${payment.year} 年优待金 ${formatYuan(payment.amountFen)} 元`
}

/** One short line per record for 我的记录: `#31 八一走访 张三 07-28`, `#32 2026 年优待金补发 李一 300 元`. */
export function shortLine(record: AnyRecord, people: ReadonlyMap<number, Person>): string {
  const mark = withdrawnMark(record)
  switch (record.kind) {
    case 'visit': {
      const who =
        record.personId === undefined ? record.unitName : people.get(record.personId)?.name
      return `#${record.id} ${record.occasion}走访 ${who ?? ''} ${record.date.slice(5)}${mark}`
    }
    case 'payment': {
      const who = people.get(record.personId)?.name ?? ''
      const topUp = record.topUp ? '补发' : ''
      return `#${record.id} ${record.year} 年优待金${topUp} ${who} ${formatYuan(record.amountFen)} 元${mark}`
    }
    case 'activity':
      return `#${record.id} 活动 ${describeActivity(record)}${mark}`
    case 'person':
      return `#${record.id} 添加对象 ${record.village} ${record.name}（${describeCategory(record)}）${mark}`
  }
}
