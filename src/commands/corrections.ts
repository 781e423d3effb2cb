import { CADRE_AND_UP, type Actor, type Command } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import { formatYuan, parseAmountFen } from '../parse/amount.js'
import { parseDate } from '../parse/date.js'
import { parseRecordLine } from '../parse/record-line.js'
import type { AnyRecord, RecordChanges } from '../records/schemas.js'
import type { CommandServices } from './services.js'

/** The author of a record, a leader or an admin may withdraw or correct it (contract.md). */
function assertMayChange(actor: Actor, record: AnyRecord): void {
  if (actor.role === 'admin' || actor.role === 'leader') return
  if (record.kind === 'person')
    throw new UserFacingError(`移除对象 #${record.id} 需要领导或管理员权限。`)
  if (record.createdBy !== actor.key) {
    throw new UserFacingError(
      `#${record.id} 不是您登记的，只有登记人、领导或管理员可以撤销或修改。`,
    )
  }
}

/** A one-line description of any record, for replies. */
export function summarize(record: AnyRecord): string {
  switch (record.kind) {
    case 'person':
      return `${record.village} ${record.name}（${record.category}）`
    case 'visit':
      return `${record.date} ${record.occasion}走访 ${record.village === '全镇' ? '' : `${record.village} `}${record.unitName ?? ''}慰问金 ${formatYuan(record.cashFen)} 元`
    case 'payment':
      return `${record.date} ${record.year} 年优待金 ${record.village} ${formatYuan(record.amountFen)} 元`
    case 'activity':
      return `${record.date} ${record.village ?? '全镇'} ${record.activityKind}${record.count !== undefined ? ` ${record.count} 人` : ''}`
  }
}

function recordNumber(args: string): number {
  const m = /^#?\s*(\d+)/.exec(args.trim())
  if (!m) throw new UserFacingError('请写上记录号，如「撤销 #128」。记录号在登记成功的回复里。')
  return Number(m[1])
}

async function loadForChange(
  services: CommandServices,
  id: number,
  actor: Actor,
): Promise<AnyRecord> {
  const record = await services.records.getRecord(id)
  if (!record) throw new UserFacingError(`没有找到记录 #${id}，请核对记录号。`)
  assertMayChange(actor, record)
  return record
}

/** 撤销 #N: withdraws a record; it stays in the audit log and leaves every tally. */
export function createWithdrawCommand(services: CommandServices): Command {
  return {
    name: '撤销',
    aliases: ['撤回', '删除记录'],
    audience: CADRE_AND_UP,
    summary: '撤销一条登记（登记人、领导或管理员）',
    example: '撤销 #128',
    async run({ args, actor, now, message }) {
      const id = recordNumber(args)
      const record = await loadForChange(services, id, actor)
      const meta = {
        actor: actor.key,
        at: now,
        idempotencyKey: `${message.platform}:${message.messageId}`,
      }
      const { changed } =
        record.kind === 'person'
          ? await services.people.removePerson(id, meta)
          : await services.records.withdraw(id, meta)
      if (!changed) return { text: `#${id} 此前已撤销，未作改动。` }
      return { text: `已撤销 #${id}：${summarize(record)}。统计中已扣除，原记录保留在审计日志中。` }
    },
  }
}

const USAGE =
  '格式：修改 #记录号 项目 新值，如「修改 #128 金额 300元」「修改 #128 日期 7月29日」「修改 #130 人数 50」「修改 #128 备注 已修缮」。'

/** 修改 #N 金额 300元: corrects amounts, dates, goods and notes; tallies move by the difference. */
export function createCorrectCommand(services: CommandServices): Command {
  return {
    name: '修改',
    aliases: ['更正'],
    audience: CADRE_AND_UP,
    summary: '更正一条登记的金额、日期、人数、物品或备注',
    example: '修改 #128 金额 300元',
    async run({ args, actor, now, message }) {
      const id = recordNumber(args)
      const rest = args.trim().replace(/^#?\s*\d+\s*/, '')
      const field =
        /^(金额|慰问金|优待金|日期|人数|物品|慰问品|备注|需求|跟进)\s*[:：]?\s*(.*)$/s.exec(rest)
      if (!field) throw new UserFacingError(USAGE)
      const [, name, value] = field as unknown as [string, string, string]
      const record = await loadForChange(services, id, actor)
      if (record.kind === 'person') throw new UserFacingError('对象信息的修改请联系管理员。')
      const changes = toChanges(record, name, value.trim(), { now, timezone: services.timezone })
      const { record: after, changed } = await services.records.correct(id, changes, {
        actor: actor.key,
        at: now,
        idempotencyKey: `${message.platform}:${message.messageId}`,
      })
      if (!changed) return { text: `#${id} 没有变化：${summarize(after)}。` }
      return { text: `已修改 #${id}：${summarize(after)}（原为：${summarize(record)}）。` }
    },
  }
}

function toChanges(
  record: Exclude<AnyRecord, { kind: 'person' }>,
  name: string,
  value: string,
  dateOptions: { now: Date; timezone: string },
): RecordChanges {
  if (name === '日期') {
    const date = parseDate(value, { ...dateOptions, direction: 'past' })
    if (!date) throw new UserFacingError(`没看懂日期「${value}」，如「7月29日」。`)
    return { date }
  }
  if (name === '备注') return { notes: value || null }
  if (['金额', '慰问金', '优待金'].includes(name)) {
    const fen = parseAmountFen(value)
    if (fen === undefined) throw new UserFacingError(`没看懂金额「${value}」，如「300元」。`)
    if (record.kind === 'visit') return { cashFen: fen }
    if (record.kind === 'payment') return { amountFen: fen }
  }
  if (name === '人数' && record.kind === 'activity') {
    const count = /^(\d+)\s*人?$/.exec(value)
    if (!count) throw new UserFacingError(`没看懂人数「${value}」，如「50」。`)
    return { count: Number(count[1]) }
  }
  if (record.kind === 'visit') {
    if (name === '需求') return { needs: value || null }
    if (name === '跟进') return { followUp: value || null }
    if (name === '物品' || name === '慰问品') {
      const goods = parseRecordLine(value, dateOptions).goods
      if (goods.length === 0 && value !== '无')
        throw new UserFacingError('物品请写成「米2袋 油1桶」，没有请写「无」。')
      return { goods }
    }
  }
  throw new UserFacingError(`#${record.id} 不能修改「${name}」。${USAGE}`)
}
