import { z } from 'zod'
import type { FormSpec, FormValues } from '../bot/forms.js'
import { UserFacingError } from '../errors.js'
import { removalSchema, type Person } from '../records/schemas.js'
import { MAX_WITHDRAW_IDS } from './withdraw-args.js'
import { REMOVAL_HOW, readRemoval } from './removal-reason.js'
import type { RecordServices } from './services.js'
import { withdrawRecords } from './withdrawals.js'

/** The form kind of a 撤销 that takes people off the roster and waits for why. */
export const REMOVAL_FORM = 'removal'

const recordId = z.number().int().positive()

/**
 * A 撤销 waiting for the removal reason: every record number of the line (people and others
 * are withdrawn together once the reason is there), and the people it asks about, named as
 * the question shows them. `v` changes when the shape does.
 */
const removalDraftSchema = z.object({
  v: z.literal(1),
  ids: z.array(recordId).min(1).max(MAX_WITHDRAW_IDS),
  subjects: z.array(z.string().max(80)).min(1).max(MAX_WITHDRAW_IDS),
  removal: removalSchema.optional(),
})
type RemovalDraft = z.infer<typeof removalDraftSchema>

/** `#45 铁炉嘴村 张三`: a person as the question names them. */
function subjectOf(person: Person): string {
  return `#${person.id} ${person.village} ${person.name}`
}

/** The values that start a removal draft for `ids`, asking about `people`. */
export function removalDraftValues(ids: readonly number[], people: readonly Person[]): FormValues {
  return {
    v: 1,
    ids: [...ids],
    subjects: people.map(subjectOf),
  } satisfies z.input<typeof removalDraftSchema>
}

/** `#45 铁炉嘴村 张三`, `#45 铁炉嘴村 张三、#46 童家坝村 李四 等 5 人`. */
function subjectsText(subjects: readonly string[]): string {
  const shown = subjects.slice(0, 2).join('、')
  return subjects.length > 2 ? `${shown} 等 ${subjects.length} 人` : shown
}

function reasonPrompt(draft: RemovalDraft): string {
  const others = draft.ids.length - draft.subjects.length
  return [
    `${subjectsText(draft.subjects)} 移出花名册的原因？`,
    '请回复 去世、迁出、退役 或 其他，',
    '可加说明，如「迁出 搬到县城」。',
    ...(others > 0 ? [`同一条里的其他 ${others} 条记录等您回复后一起撤销。`] : []),
    '回复「取消」不撤销。',
  ].join('\n')
}

/**
 * The removal form: `撤销 #45` of a person without a reason asks for one (去世, 迁出, 退役, 其他
 * with a few words), then withdraws every record of the line, storing the reason with each
 * person. A question or a command in between keeps it open, as every form does.
 */
export function createRemovalForm(services: RecordServices): FormSpec<RemovalDraft> {
  return {
    kind: REMOVAL_FORM,
    draft: removalDraftSchema,
    // The draft's own `v` is that version.
    version: 1,
    nextQuestion(draft) {
      if (draft.removal) return undefined
      return { field: 'reason', prompt: reasonPrompt(draft) }
    },

    async accept(field, answer, draft) {
      if (field !== 'reason') throw new Error(`removal form has no field ${field}`)
      const read = readRemoval(answer)
      if ('problem' in read) throw new UserFacingError(`未撤销：${read.problem}`)
      return { values: Object.assign({}, draft, { removal: read.removal }) }
    },

    async describe(draft) {
      return {
        title: '撤销',
        filled: [subjectsText(draft.subjects)],
        missing: '移出原因',
        answer: '去世、迁出、退役或其他',
      }
    },

    async complete(draft, idempotencyKey, ctx) {
      if (!draft.removal) throw new UserFacingError(`还没有移出原因，未撤销。${REMOVAL_HOW}`)
      const found = new Map((await services.records.getRecords(draft.ids)).map((r) => [r.id, r]))
      return {
        text: await withdrawRecords(services, ctx, draft.ids, found, idempotencyKey, draft.removal),
      }
    },
  }
}
