import {
  CADRE_AND_UP,
  writeMetaOf,
  type Actor,
  type Command,
  type CommandContext,
} from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import { DuplicateRecordError } from '../records/duplicate-error.js'
import type { AnyRecord, WriteMeta } from '../records/schemas.js'
import { readCorrection, toChanges } from './correction-changes.js'
import { describeCorrection, describeRecord, peopleNamedBy } from './correction-reply.js'
import { scopeOf } from './people-lookup.js'
import type { CommandServices } from './services.js'

// 撤销 and 修改 (docs/corrections.md): each reply names the record's person and village and
// says exactly what changed; 撤销 takes several record numbers or 上一条.

/** Why `actor` may not withdraw or correct `record` (contract: author, leader or admin). */
function refusalFor(actor: Actor, record: AnyRecord): string | undefined {
  if (actor.role === 'admin' || actor.role === 'leader') return undefined
  if (record.kind === 'person') return '是花名册上的对象，移除需要领导或管理员权限'
  if (record.createdBy !== actor.key) {
    return '不是您登记的，只有登记人、领导或管理员可以撤销或修改'
  }
  return undefined
}

/** At most this many record numbers in one 撤销: a reply still fits one screen. */
export const MAX_WITHDRAW_IDS = 20

const WITHDRAW_USAGE =
  '请写上记录号，如「撤销 #128」，几条一起写「撤销 #128 #130」，撤销自己刚登记的写「撤销上一条」。记录号在登记成功的回复里。'

/** `#165 #167`, `165、167`, `#165,#167`: the record numbers, in order, once each. */
export function readRecordNumbers(args: string): number[] {
  const tokens = args
    .trim()
    .split(/[\s,，、;；]+|(?=#)/)
    .filter(Boolean)
  if (tokens.length === 0) throw new UserFacingError(WITHDRAW_USAGE)
  const ids: number[] = []
  for (const token of tokens) {
    const m = /^#?(\d{1,12})$/.exec(token)
    if (!m)
      throw new UserFacingError(
        `「${token.slice(0, 20)}」不是记录号，未撤销任何记录。${WITHDRAW_USAGE}`,
      )
    const id = Number(m[1])
    if (!ids.includes(id)) ids.push(id)
  }
  if (ids.length > MAX_WITHDRAW_IDS) {
    throw new UserFacingError(`一次最多撤销 ${MAX_WITHDRAW_IDS} 条，未撤销任何记录。请分几次发送。`)
  }
  return ids
}

const LAST = /^(上一条|上条|最后一条|刚才那条)[。.!！]?$/

type Outcome = { id: number; withdrawn: AnyRecord } | { id: number; refused: string }

/** Withdraws `record` (`#id`, undefined when there is none) under `meta`, or says why not. */
async function withdrawOne(
  services: CommandServices,
  ctx: CommandContext,
  id: number,
  record: AnyRecord | undefined,
  meta: WriteMeta,
): Promise<Outcome> {
  if (!record) return { id, refused: '没有这条记录，请核对记录号' }
  const refused = refusalFor(ctx.actor, record)
  if (refused) return { id, refused }
  try {
    const { changed } =
      record.kind === 'person'
        ? await services.people.removePerson(id, meta)
        : await services.records.withdraw(id, meta)
    if (changed) return { id, withdrawn: record }
    // A retry of this message after its write landed: the withdrawal was this message's.
    const own = (await services.records.writtenUnder(meta))?.id === id
    return own ? { id, withdrawn: record } : { id, refused: '此前已撤销，未作改动' }
  } catch (err) {
    if (err instanceof UserFacingError) return { id, refused: err.message.replace(/。$/, '') }
    throw err
  }
}

const KEPT = '统计中已扣除，原记录保留在审计日志中。'

async function describeWithdrawals(services: CommandServices, outcomes: Outcome[]) {
  const people = await peopleNamedBy(
    services,
    outcomes.flatMap((o) => ('withdrawn' in o ? [o.withdrawn] : [])),
  )
  const done = outcomes.flatMap((o) =>
    'withdrawn' in o ? [`#${o.id} ${describeRecord(o.withdrawn, people)}`] : [],
  )
  const refused = outcomes.flatMap((o) => ('refused' in o ? [`#${o.id} ${o.refused}`] : []))
  if (outcomes.length === 1) {
    const [only] = outcomes
    if ('refused' in only!) return `${refused[0]}。`
    return `已撤销 #${only!.id}：${describeRecord(only!.withdrawn, people)}。${KEPT}`
  }
  const lines: string[] = []
  if (done.length > 0) lines.push(`已撤销 ${done.length} 条：`, ...done)
  else lines.push('没有撤销任何记录。')
  if (refused.length > 0) lines.push(`未撤销 ${refused.length} 条：`, ...refused)
  if (done.length > 0) lines.push(KEPT)
  return lines.join('\n')
}

/** 撤销 #N [#M …] | 撤销上一条: withdraws records; they stay in the audit log and leave every tally. */
export function createWithdrawCommand(services: CommandServices): Command {
  return {
    name: '撤销',
    aliases: ['撤回', '删除记录'],
    audience: CADRE_AND_UP,
    summary: '撤销登记（登记人、领导或管理员），可几条一起，或撤销自己的上一条',
    example: '撤销 #128 #130，撤销上一条',
    async run(ctx) {
      if (LAST.test(ctx.args.trim())) {
        const meta = writeMetaOf(ctx)
        // A redelivery of this very message must name the record it withdrew, not the next one.
        const repeated = await services.records.writtenUnder(meta)
        const last = repeated ?? (await services.records.lastActiveBy(ctx.actor.key))
        if (!last) {
          return {
            text: '没有找到您登记且未撤销的记录。要撤销别人登记的，请写记录号，如「撤销 #128」。',
          }
        }
        const outcome: Outcome = repeated
          ? { id: repeated.id, withdrawn: repeated }
          : await withdrawOne(services, ctx, last.id, last, meta)
        const reply = await describeWithdrawals(services, [outcome])
        return { text: 'withdrawn' in outcome ? `您的上一条登记：${reply}` : reply }
      }
      const ids = readRecordNumbers(ctx.args)
      const found = new Map((await services.records.getRecords(ids)).map((r) => [r.id, r]))
      const outcomes: Outcome[] = []
      for (const id of ids) {
        // One write per record, each under its own key, so a redelivery repeats none of them.
        const meta = writeMetaOf(ctx, ids.length > 1 ? `|${id}` : '')
        outcomes.push(await withdrawOne(services, ctx, id, found.get(id), meta))
      }
      return { text: await describeWithdrawals(services, outcomes) }
    },
  }
}

/** 修改 #N 项目 新值: corrects one field; the counters move from the old effects to the new. */
export function createCorrectCommand(services: CommandServices): Command {
  return {
    name: '修改',
    aliases: ['更正'],
    audience: CADRE_AND_UP,
    summary: '更正一条登记的金额、日期、场合、对象、人数、物品或备注',
    example: '修改 #128 金额 300元',
    async run(ctx) {
      const { id, word, value } = readCorrection(ctx.args)
      const record = await services.records.getRecord(id)
      if (!record) throw new UserFacingError(`没有找到记录 #${id}，请核对记录号。`)
      const refused = refusalFor(ctx.actor, record)
      if (refused) throw new UserFacingError(`#${id} ${refused}。`)
      if (record.kind === 'person') throw new UserFacingError('对象信息的修改请联系管理员。')
      if (record.status === 'withdrawn') throw new UserFacingError(`#${id} 已撤销，不能修改。`)
      const changes = await toChanges(record, word, value, {
        actor: ctx.actor,
        now: ctx.now,
        services,
      })
      let result
      try {
        result = await services.records.correct(id, changes, writeMetaOf(ctx), {
          villages: scopeOf(ctx.actor),
        })
      } catch (err) {
        if (err instanceof DuplicateRecordError)
          return { text: await duplicateReply(services, id, err) }
        throw err
      }
      const { record: after, changed } = result
      const people = await peopleNamedBy(services, [record, after])
      if (!changed) return { text: `#${id} 没有变化：${describeRecord(after, people)}。` }
      return {
        text: describeCorrection(record, after, people, { inGroup: ctx.message.chat.isGroup }),
      }
    },
  }
}

/** A correction that would repeat another visit is refused, showing the other one. */
async function duplicateReply(
  services: CommandServices,
  id: number,
  err: DuplicateRecordError,
): Promise<string> {
  const earlier = err.earlier
  const people = await peopleNamedBy(services, [earlier])
  const author = earlier.createdBy.replace(/^[a-z]+:/, '')
  return [
    `改后会与 #${earlier.id} 重复，#${id} 未修改：`,
    `#${earlier.id} ${describeRecord(earlier, people)}（${author} 登记）`,
    `如 #${id} 是重复登记，请回复「撤销 #${id}」。`,
  ].join('\n')
}
