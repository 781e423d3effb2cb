import {
  CADRE_AND_UP,
  messageKey,
  writeMetaOf,
  type Command,
  type CommandContext,
} from '../bot/command.js'
import type { FormContext } from '../bot/forms.js'
import { UserFacingError } from '../errors.js'
import type { Reply } from '../platforms/types.js'
import { DuplicateRecordError } from '../records/duplicate-error.js'
import type { AnyRecord, Person, Removal } from '../records/schemas.js'
import { readCorrection, toChanges } from './correction-changes.js'
import { describePersonChange, toPersonChanges } from './person-changes.js'
import { describeCorrection, describeRecord, peopleNamedBy } from './correction-reply.js'
import { scopeOf, typedFreeText } from './people-lookup.js'
import { REMOVAL_FORM, removalDraftValues } from './removal-form.js'
import { readRemoval, readWithdrawReason } from './removal-reason.js'
import type { CommandServices } from './services.js'
import { notARecordNumber, readWithdrawArgs } from './withdraw-args.js'
import { userNameOf } from '../user-names.js'
import {
  describeWithdrawals,
  refusalFor,
  removablePeople,
  withdrawOne,
  withdrawRecords,
} from './withdrawals.js'

// 撤销 and 修改 (docs/corrections.md): each reply names the record's person and village and
// says exactly what changed; 撤销 takes several record numbers or 上一条.

// Re-exported: the record-number reader was born here and its tests still import it from here.
export { readRecordNumbers } from './withdraw-args.js'

const LAST = /^(?:上一条|上条|最后一条|刚才那条)[。.!！]?(?:\s+(.*))?$/

/**
 * The removal reason `rest` gives for the people among `records`, read or refused. Words after
 * record numbers that name no person keep the old refusal (they are no record number): a
 * visit or payment is withdrawn without a reason.
 */
function reasonFor(
  ids: readonly number[],
  records: readonly AnyRecord[],
  rest: string,
  people: readonly Person[],
): { removal?: Removal; why?: string } {
  if (rest.trim() === '') return {}
  if (!records.some((r) => r.kind === 'person')) {
    // A removal reason after numbers that name no person: most likely a mistyped number.
    if ('removal' in readRemoval(rest.trim()))
      throw new UserFacingError(noPersonToRemove(ids, records))
    // `原因 重复登记`: why a visit, payment or activity goes; stored with it and shown.
    // `撤销 #13 写错了`: a reason said as people say one is read without 原因; other words
    // (`撤销 #13 张三`) may mean another record than #13, so they still need 原因 before them.
    const labelled =
      SAID_REASON.test(rest) && !/^(?:原因|理由|因为)/.test(rest.trim()) ? `原因 ${rest}` : rest
    const why = readWithdrawReason(labelled)
    if (why && 'problem' in why) throw new UserFacingError(`未撤销：${why.problem}`)
    if (why) return { why: why.reason }
    throw new UserFacingError(notARecordNumber(firstWord(rest)))
  }
  if (people.length === 0) return {}
  const read = readRemoval(rest.trim())
  if ('problem' in read) throw new UserFacingError(`未撤销：${read.problem}`)
  return { removal: read.removal }
}

/** The first word of `text`, separators before it skipped (`，撤销上一条` → 撤销上一条). */
function firstWord(text: string): string {
  return text.split(/[\s,，、;；]+/).find(Boolean) ?? text
}

// Words that say why a record goes: 写错了, 录重了, 重复登记, 弄错, 多登了一条, 测试.
const SAID_REASON = /^[^\d#]*(?:错|重复|重了|多了|多登|误|不对|作废|测试|取消)[^\d#]*$/

const KIND_NAMES = { visit: '走访记录', payment: '优待金发放记录', activity: '活动记录' } as const

/** `未撤销：#128 是走访记录，不是花名册上的对象。…`: a reason given where no person is named. */
function noPersonToRemove(ids: readonly number[], records: readonly AnyRecord[]): string {
  const byId = new Map(records.map((r) => [r.id, r]))
  const what = ids.map((id) => {
    const r = byId.get(id)
    return `#${id} ${r && r.kind !== 'person' ? `是${KIND_NAMES[r.kind]}` : '没有这条记录'}`
  })
  return [
    `未撤销：${what.join('，')}，不是花名册上的对象。`,
    '请核对记录号；撤销走访、发放不用写原因，如「撤销 #128」。',
  ].join('\n')
}

/**
 * Why the people among `records` leave the roster (or why the other records go), or — when some would and `rest` gives no
 * reason — the removal form's question, started for all of `ids`: nothing is withdrawn yet.
 */
async function reasonOrQuestion(
  services: CommandServices,
  ctx: CommandContext,
  ids: number[],
  records: readonly AnyRecord[],
  rest: string,
): Promise<{ removal?: Removal; why?: string } | { asked: Reply[] }> {
  const people = removablePeople(ctx.actor, records)
  const reason = reasonFor(ids, records, rest, people)
  if (people.length === 0 || reason.removal) return reason
  const draft = removalDraftValues(ids, people)
  return { asked: await services.forms().start(REMOVAL_FORM, draft, ctx as FormContext) }
}

/**
 * 撤销 #N [#M …] [原因] | 撤销上一条: withdraws records; they stay in the audit log and leave
 * every tally. A person leaves the roster only with a reason (去世, 迁出, 退役, 其他), given in
 * the line or asked for.
 */
export function createWithdrawCommand(services: CommandServices): Command {
  return {
    name: '撤销',
    // 删除 #13 is how many cadres say it (a tester's was 没看懂).
    aliases: ['撤回', '删除记录', '删除', '删掉', '作废'],
    audience: CADRE_AND_UP,
    summary: '撤销登记（登记人、领导或管理员），可几条一起，或撤销自己的上一条',
    // Two examples in one line were sent as one message and refused (a tester).
    example: '撤销 #128 #130',
    async run(ctx) {
      const last = LAST.exec(ctx.args.trim())
      if (last) {
        const meta = writeMetaOf(ctx)
        // A redelivery of this very message must name the record it withdrew, not the next one.
        const repeated = await services.records.writtenUnder(meta)
        if (repeated) {
          const outcome = { id: repeated.id, withdrawn: repeated }
          const removal = repeated.kind === 'person' ? repeated.removal : undefined
          const why = repeated.withdrawReason
          return {
            text: `您的上一条登记：${await describeWithdrawals(services, [outcome], removal, why)}`,
          }
        }
        const newest = await services.records.lastActiveBy(ctx.actor.key)
        if (!newest) {
          return {
            text: '没有找到您登记且未撤销的记录。要撤销别人登记的，请写记录号，如「撤销 #128」。',
          }
        }
        const decided = await reasonOrQuestion(services, ctx, [newest.id], [newest], last[1] ?? '')
        if ('asked' in decided) return decided.asked
        const { removal, why } = decided
        const outcome = await withdrawOne(services, ctx, newest.id, newest, meta, removal, why)
        const reply = await describeWithdrawals(services, [outcome], removal, why)
        return { text: 'withdrawn' in outcome ? `您的上一条登记：${reply}` : reply }
      }
      const { ids, rest } = readWithdrawArgs(ctx.args)
      const found = new Map((await services.records.getRecords(ids)).map((r) => [r.id, r]))
      const decided = await reasonOrQuestion(services, ctx, ids, [...found.values()], rest)
      if ('asked' in decided) return decided.asked
      const baseKey = messageKey(ctx.message)
      return {
        text: await withdrawRecords(
          services,
          ctx,
          ids,
          found,
          baseKey,
          decided.removal,
          decided.why,
        ),
      }
    },
  }
}

/** 修改 #N 项目 新值 (or 修改 上一条 …): corrects one field; the counters move from the old effects to the new. */
export function createCorrectCommand(services: CommandServices): Command {
  return {
    name: '修改',
    aliases: ['更正'],
    audience: CADRE_AND_UP,
    summary: '更正一条登记（金额、日期、陪同等）或对象的户口、电话',
    example: '修改 #128 金额 300元',
    async run(ctx) {
      const { target, word, value, tail } = readCorrection(ctx.args)
      const id = target === 'last' ? await lastRecordOf(services, ctx) : target
      const record = await services.records.getRecord(id)
      if (!record) throw new UserFacingError(`没有找到记录 #${id}，请核对记录号。`)
      const refused = refusalFor(ctx.actor, record, '修改')
      if (refused) throw new UserFacingError(`#${id} ${refused}。`)
      if (record.kind === 'person') {
        if (record.status === 'withdrawn') throw new UserFacingError(`对象 #${id} 已移除。`)
        const changes = toPersonChanges(record, word, value)
        if (changes.name !== undefined) await checkRename(services, ctx, record, changes.name)
        const { record: after } = await services.people.updatePerson(id, changes, writeMetaOf(ctx))
        const phone = changes.phone === undefined ? undefined : (changes.phone ?? '')
        return { text: describePersonChange(record, after, phone) }
      }
      if (record.status === 'withdrawn') throw new UserFacingError(`#${id} 已撤销，不能修改。`)
      const changes = await toChanges(record, word, value, {
        actor: ctx.actor,
        now: ctx.now,
        services,
        typedValue: typedFreeText(ctx, tail) ?? tail,
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

/**
 * Whether `person` may be renamed `name`: by an administrator, as people are added, and not to
 * the name of someone else in the same village (two 李二 of one village would be told apart by
 * nothing but their numbers). Throws UserFacingError saying why.
 */
async function checkRename(
  services: CommandServices,
  ctx: CommandContext,
  person: Person,
  name: string,
): Promise<void> {
  if (ctx.actor.role !== 'admin') {
    throw new UserFacingError(`改姓名需要管理员：请管理员发「修改 #${person.id} 姓名 ${name}」。`)
  }
  const namesakes = await services.people.findPeopleByName(name)
  const same = namesakes.find((p) => p.village === person.village && p.id !== person.id)
  if (same) {
    throw new UserFacingError(
      `${person.village}已有一位${name}（#${same.id}），#${person.id} 未修改。`,
    )
  }
}

/**
 * The number of the sender's newest active record, for `修改 上一条 …` (as 撤销上一条 finds it:
 * RecordStore.lastActiveBy, never another's). A redelivery finds the same record, since a
 * correction leaves it active.
 */
async function lastRecordOf(services: CommandServices, ctx: CommandContext): Promise<number> {
  const newest = await services.records.lastActiveBy(ctx.actor.key)
  if (!newest) {
    throw new UserFacingError(
      '没有找到您登记且未撤销的记录。要修改别人登记的，请写记录号，如「修改 #128 金额 300元」。',
    )
  }
  return newest.id
}

/** A correction that would repeat another visit is refused, showing the other one. */
async function duplicateReply(
  services: CommandServices,
  id: number,
  err: DuplicateRecordError,
): Promise<string> {
  const earlier = err.earlier
  const [people, author] = await Promise.all([
    peopleNamedBy(services, [earlier]),
    userNameOf(services.roles, earlier.createdBy),
  ])
  return [
    `改后会与 #${earlier.id} 重复，#${id} 未修改：`,
    `#${earlier.id} ${describeRecord(earlier, people)}（${author} 登记）`,
    `如 #${id} 是重复登记，请回复「撤销 #${id}」。`,
  ].join('\n')
}
