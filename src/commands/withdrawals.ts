import type { Actor } from '../bot/command.js'
import type { FormContext } from '../bot/forms.js'
import { UserFacingError } from '../errors.js'
import { removalText } from '../records/person-fields.js'
import type { AnyRecord, Person, Removal, WriteMeta } from '../records/schemas.js'
import { describeRecord, peopleNamedBy } from './correction-reply.js'
import type { RecordServices } from './services.js'

// Carrying out 撤销 once it is clear what to withdraw (and, for people, why): shared by the
// command's one-line path and the form that asks for a removal reason (removal-form.ts).

/**
 * Why `actor` may not withdraw or correct `record` (contract: author, leader or admin). A cadre
 * who sends a person's number has most often taken it for a record's (查看 shows both as
 * #N), so the answer names the person and where the record numbers are.
 */
export function refusalFor(
  actor: Actor,
  record: AnyRecord,
  action: '撤销' | '修改' = '撤销',
): string | undefined {
  if (actor.role === 'admin' || actor.role === 'leader') return undefined
  if (record.kind === 'person') {
    const power =
      action === '修改' ? '修改对象信息需要领导或管理员权限' : '移除对象需要领导或管理员权限'
    return `是花名册上的对象${record.name}，不是登记记录；${power}。要${action}您的登记，请回复「我的记录」查看编号`
  }
  if (record.createdBy !== actor.key) {
    return '不是您登记的，只有登记人、领导或管理员可以撤销或修改'
  }
  return undefined
}

/**
 * The people among `records` this 撤销 would take off the roster: active, and the actor may.
 * Each needs a reason (去世, 迁出, 退役, 其他) before anything is withdrawn.
 */
export function removablePeople(actor: Actor, records: readonly AnyRecord[]): Person[] {
  return records.filter(
    (r): r is Person => r.kind === 'person' && r.status === 'active' && !refusalFor(actor, r),
  )
}

export type Outcome = { id: number; withdrawn: AnyRecord } | { id: number; refused: string }

/**
 * Withdraws `record` (`#id`, undefined when there is none) under `meta`, or says why not. A
 * person leaves with `removal`; another record is withdrawn with `why` stored on it, if given.
 */
export async function withdrawOne(
  services: RecordServices,
  ctx: Pick<FormContext, 'actor'>,
  id: number,
  record: AnyRecord | undefined,
  meta: WriteMeta,
  removal?: Removal,
  why?: string,
): Promise<Outcome> {
  if (!record) return { id, refused: '没有这条记录，请核对记录号' }
  const refused = refusalFor(ctx.actor, record)
  if (refused) return { id, refused }
  try {
    const { changed } =
      record.kind === 'person'
        ? await services.people.removePerson(id, meta, removal)
        : await services.records.withdraw(id, meta, undefined, why)
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

/**
 * `已撤销 #45：对象 铁炉嘴村 张三（残疾军人），移出原因：去世。…` for one, a list for several.
 * A person's line names the reason they left with, another record's why it was withdrawn (the
 * ones this 撤销 stored).
 */
export async function describeWithdrawals(
  services: RecordServices,
  outcomes: Outcome[],
  removal?: Removal,
  why?: string,
): Promise<string> {
  const people = await peopleNamedBy(
    services,
    outcomes.flatMap((o) => ('withdrawn' in o ? [o.withdrawn] : [])),
  )
  // A person's line names why they left the roster; another record's, why it was withdrawn.
  const reasonOf = (record: AnyRecord) =>
    record.kind === 'person'
      ? removal && `，移出原因：${removalText(removal)}`
      : why && `，撤销原因：${why}`
  const describe = (record: AnyRecord) =>
    `${describeRecord(record, people)}${reasonOf(record) ?? ''}`
  const done = outcomes.flatMap((o) =>
    'withdrawn' in o ? [`#${o.id} ${describe(o.withdrawn)}`] : [],
  )
  const refused = outcomes.flatMap((o) => ('refused' in o ? [`#${o.id} ${o.refused}`] : []))
  if (outcomes.length === 1) {
    const [only] = outcomes
    if ('refused' in only!) return `${refused[0]}。`
    // On a line of its own: with the record's description the one line ran past 100 columns.
    return `已撤销 #${only!.id}：${describe(only!.withdrawn)}。\n${KEPT}`
  }
  // 已扣除 is said of the withdrawn records, before the refused ones, or it reads as theirs.
  const lines: string[] =
    done.length > 0 ? [`已撤销 ${done.length} 条：`, ...done, KEPT] : ['没有撤销任何记录。']
  if (refused.length > 0) lines.push(`未撤销 ${refused.length} 条：`, ...refused)
  return lines.join('\n')
}

/**
 * Withdraws `ids` (read as `found`), each its own write under `baseKey` (plus `|<id>` when
 * there are several, so a redelivery repeats none of them), and says what happened.
 */
export async function withdrawRecords(
  services: RecordServices,
  ctx: Pick<FormContext, 'actor' | 'now'>,
  ids: readonly number[],
  found: ReadonlyMap<number, AnyRecord>,
  baseKey: string,
  removal?: Removal,
  why?: string,
): Promise<string> {
  const outcomes: Outcome[] = []
  for (const id of ids) {
    const meta: WriteMeta = {
      actor: ctx.actor.key,
      at: ctx.now,
      idempotencyKey: `${baseKey}${ids.length > 1 ? `|${id}` : ''}`,
    }
    outcomes.push(await withdrawOne(services, ctx, id, found.get(id), meta, removal, why))
  }
  return describeWithdrawals(services, outcomes, removal, why)
}
