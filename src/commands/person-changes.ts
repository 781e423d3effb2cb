import { UserFacingError } from '../errors.js'
import { checkChatPhone, nameProblem } from '../records/person-fields.js'
import { maskPhone } from '../records/pii.js'
import { HOUSEHOLD_TYPES, type Person, type PersonChanges } from '../records/schemas.js'
import { describeCategory } from './find-people.js'

// 修改 #N of a person on the roster (docs/corrections.md, "A person's details"): the details a
// township fixes by chat, not by a new roster sheet: a name written wrong (by an administrator),
// a household type missing (without it 优待金 cannot be paid) and the phone. The roster import
// adds people and never changes one already there. Not the village, nor a type already given:
// the year's paid and visited households are counted by the village and type they had then, so
// a move would list a paid family as unpaid and take a second payment without a hold (a tester).

/** The field words of a person's 修改, each to the detail it changes. */
export const PERSON_FIELD_WORDS = {
  户口: 'householdType',
  户口类型: 'householdType',
  户籍: 'householdType',
  电话: 'phone',
  手机: 'phone',
  手机号: 'phone',
  联系电话: 'phone',
  // A name written wrong is corrected in place: its visits and payments stay the family's (a
  // tester's 撤销 then 添加对象 cut them off, and the family was paid twice without a hold).
  姓名: 'name',
  名字: 'name',
  // Named so the refusal says how they are fixed instead of showing the format.
  村: 'fixed',
  所在村: 'fixed',
  类别: 'fixed',
  身份证: 'fixed',
  身份证号: 'fixed',
} as const

export type PersonField = (typeof PERSON_FIELD_WORDS)[keyof typeof PERSON_FIELD_WORDS]

/** A value that clears a field in a 修改 (`修改 #N 电话 无`), for records and people alike. */
export const NONE = /^(无|没有|清空|删除|—|-)$/

/** What a person's 修改 can change, as a refusal lists it. */
export const PERSON_EDITABLE = '姓名 户口（未注明时） 电话'

/** The change `word value` makes to `person`; throws UserFacingError saying how to write it. */
export function toPersonChanges(person: Person, word: string, value: string): PersonChanges {
  const field = (PERSON_FIELD_WORDS as Record<string, PersonField | undefined>)[word]
  const id = person.id
  switch (field) {
    case 'householdType': {
      if (person.householdType) {
        throw new UserFacingError(
          [
            `#${id} ${person.name}已登记为${person.householdType}户口，未修改：`,
            '今年的发放按原户口统计，改了会对不上。',
            '确实登记错了，请撤销后重新添加。',
          ].join('\n'),
        )
      }
      const type = value.replace(/户口$|户$/, '')
      if (!(HOUSEHOLD_TYPES as readonly string[]).includes(type)) {
        throw new UserFacingError(`户口请写农村或城镇，如「修改 #${id} 户口 农村」。`)
      }
      return { householdType: type as Person['householdType'] }
    }
    case 'name': {
      const name = value.trim()
      const problem = nameProblem(name)
      if (problem) throw new UserFacingError(`${problem}，#${id} 未修改。`)
      return { name }
    }
    case 'phone': {
      if (NONE.test(value)) return { phone: null }
      const checked = checkChatPhone(value)
      if ('problem' in checked) throw new UserFacingError(`${checked.problem}，#${id} 未修改。`)
      return { phone: checked.value }
    }
    default:
      throw new UserFacingError(
        [
          `#${id} 是花名册上的对象${person.name}，`,
          `可改：${PERSON_EDITABLE}，`,
          `如「修改 #${id} 户口 农村」`,
          `「修改 #${id} 电话 13800000000」。`,
          '村、类别、身份证号有误，',
          '请撤销后重新添加。',
        ].join('\n'),
      )
  }
}

/** `已修改 #13 新街社区 钱七（义务兵家庭）：户口 未注明 → 农村`; phones masked. */
export function describePersonChange(before: Person, after: Person, phone?: string): string {
  const lines: string[] = []
  const change = (label: string, was: string, is: string) => {
    if (was !== is) lines.push(`${label} ${was} → ${is}`)
  }
  change('姓名', before.name, after.name)
  change('户口', before.householdType ?? '未注明', after.householdType ?? '未注明')
  if (phone !== undefined) {
    change('电话', before.phoneMasked ?? '无', phone === '' ? '无' : maskPhone(phone))
  }
  const head = `已修改 #${after.id} ${before.village} ${before.name}（${describeCategory(before)}）：`
  return lines.length <= 1 ? `${head}${lines[0] ?? '没有变化'}` : [head, ...lines].join('\n')
}
