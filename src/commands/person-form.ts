import { z } from 'zod'
import type { FormContext, FormSpec, FormValues } from '../bot/forms.js'
import { UserFacingError } from '../errors.js'
import { nearestVillages } from '../parse/nearest-village.js'
import type { LikelyDuplicates } from '../records/people-store.js'
import {
  CONSCRIPT_FAMILY,
  personInputSchema,
  type Person,
  type PersonInput,
} from '../records/schemas.js'
import { describeCategory } from './people-lookup.js'
import type { RecordServices } from './services.js'

/** The form kind of a person waiting for 「确认」 before 添加对象 stores them. */
export const PERSON_FORM = 'person'

/**
 * A person on their way to the roster, kept in the form's state between 「确认」s. Phone and
 * ID number are sealed (PeopleStore.sealPending). `v` changes when the shape does, so a draft
 * saved by an older bot is dropped with a message instead of being misread.
 */
const personDraftSchema = z.object({
  v: z.literal(1),
  person: personInputSchema,
  newVillage: z.boolean(),
  villageConfirmed: z.boolean().optional(),
  duplicateConfirmed: z.boolean().optional(),
})
type PersonDraft = z.infer<typeof personDraftSchema>

/** The form values that start a person draft. */
export function personDraftValues(sealed: PersonInput, newVillage: boolean): FormValues {
  return { v: 1, person: sealed, newVillage } satisfies z.input<typeof personDraftSchema>
}

function draftOf(values: FormValues): PersonDraft | undefined {
  const parsed = personDraftSchema.safeParse(values)
  return parsed.success ? parsed.data : undefined
}

const DROPPED = '这条「添加对象」已失效，未添加。请重发「添加对象 …」。'

/** The refusal of an ID number already on the roster: one number is one person. */
export function idNumberTaken(holder: Person): string {
  return `未添加：身份证号已登记在 ${describeExisting(holder)}。同一人不必再加；信息有误请联系管理员修改。`
}

/** `#12 铁炉嘴村 张三（残疾军人），电话 138****1111`: an existing record, numbers masked. */
function describeExisting(p: Person): string {
  const contacts = [
    p.phoneMasked && `电话 ${p.phoneMasked}`,
    p.idNumberMasked && `身份证 ${p.idNumberMasked}`,
  ].filter(Boolean)
  return `#${p.id} ${p.village} ${p.name}（${describeCategory(p)}）${contacts.length ? `，${contacts.join('，')}` : ''}`
}

function newVillagePrompt(village: string, known: readonly string[]): string {
  const near = nearestVillages(village, known)
  const hint = near.length > 0 ? `是不是「${near.join('」或「')}」？` : ''
  const list = known.length <= 12 ? `已登记的有：${known.join('、')}。` : ''
  return [
    `「${village}」还没有登记，这次未添加。${hint}${list}`,
    '确是新村（社区）请回复「确认」，将登记该村并添加；写错了请重新发送。',
  ].join('\n')
}

function duplicatePrompt(person: PersonInput, found: LikelyDuplicates): string {
  const seen = new Map<number, { p: Person; why: string[] }>()
  const note = (p: Person, why: string) => {
    const entry = seen.get(p.id) ?? { p, why: [] }
    entry.why.push(why)
    seen.set(p.id, entry)
  }
  for (const p of found.sameName) note(p, '同村同名')
  for (const p of found.samePhone) note(p, '电话相同')
  const lines = [...seen.values()]
    .sort((a, b) => a.p.id - b.p.id)
    .slice(0, 5)
    .map(({ p, why }) => `${describeExisting(p)}（${why.join('、')}）`)
  return [
    `${person.name}可能已在花名册上，这次未添加：`,
    ...lines,
    '确是另一人（如同名的亲属）请回复「确认」，否则不用回复。',
  ].join('\n')
}

/**
 * The person form: the 添加对象 line arrives complete; it asks 「确认」 for a village not
 * registered yet (unless the township has none) and for a likely second entry of someone,
 * then registers the village and stores the person.
 */
export function createPersonForm(services: RecordServices): FormSpec<PersonDraft> {
  return {
    kind: PERSON_FORM,
    draft: personDraftSchema,
    // The draft's own `v` is that version.
    version: 1,
    async nextQuestion(values) {
      const draft = draftOf(values)
      if (!draft) return undefined
      const { village } = draft.person
      if (draft.newVillage && !draft.villageConfirmed) {
        const known = await services.villages.listVillages()
        // The township's first village cannot be a typo of another.
        if (known.length > 0 && !known.includes(village)) {
          return { field: 'village', prompt: newVillagePrompt(village, known), confirmOnly: true }
        }
      }
      if (!draft.duplicateConfirmed) {
        const person = services.people.openPending(draft.person)
        const found = await services.people.likelyDuplicates(person)
        if (found.sameName.length > 0 || found.samePhone.length > 0) {
          return { field: 'duplicate', prompt: duplicatePrompt(person, found), confirmOnly: true }
        }
      }
      return undefined
    },

    async accept(field, answer, values) {
      if (!draftOf(values)) return { values }
      if (!/^确认[。.!！]*$/.test(answer)) {
        throw new UserFacingError(
          field === 'village'
            ? '请回复「确认」登记新村并添加；村名写错了请重新发送「添加对象 …」。'
            : '确是另一人请回复「确认」；不添加请回复「取消」。',
        )
      }
      if (field === 'village')
        return { values: Object.assign({}, values, { villageConfirmed: true }) }
      if (field === 'duplicate')
        return { values: Object.assign({}, values, { duplicateConfirmed: true }) }
      throw new Error(`person form has no field ${field}`)
    },

    async describe(values, field) {
      const draft = draftOf(values)
      const { name, village } = draft?.person ?? {}
      return {
        title: '添加对象',
        filled: name && village ? [`${village} ${name}`] : [],
        missing: field === 'village' ? '确认新村' : '确认是另一人',
        answer: '「确认」',
      }
    },

    async complete(values, idempotencyKey, ctx: FormContext) {
      const draft = draftOf(values)
      if (!draft) throw new UserFacingError(DROPPED)
      const input = services.people.openPending(draft.person)
      const meta = { actor: ctx.actor.key, at: ctx.now, idempotencyKey }
      const village = draft.newVillage
        ? await services.villages.addVillage(
            input.village,
            Object.assign({}, meta, {
              idempotencyKey: `${idempotencyKey}:village`,
            }),
          )
        : undefined
      const { record, created } = await services.people.addPerson(input, meta)
      const extras = [
        record.soldierName && `义务兵 ${record.soldierName}`,
        record.householdType,
        record.phoneMasked && `电话 ${record.phoneMasked}`,
        record.idNumberMasked && `身份证 ${record.idNumberMasked}`,
        record.enlistedAt && `入伍 ${record.enlistedAt}`,
      ].filter(Boolean)
      return {
        text: [
          `${created ? '已添加' : '此前已添加'} #${record.id}：${record.village} ${record.name}（${describeCategory(record)}）${extras.length ? `，${extras.join('，')}` : ''}`,
          ...(village?.created ? [`新登记村（社区）：${record.village}`] : []),
          // Said now: 优待金 cannot be paid to the family until it is known.
          ...(record.category === CONSCRIPT_FAMILY && !record.householdType
            ? [
                '未注明农村还是城镇户口，发放优待金前',
                `请补上，如「修改 #${record.id} 户口 农村」。`,
              ]
            : []),
          `撤销请回复「撤销 #${record.id}」`,
        ].join('\n'),
      }
    },
  }
}
