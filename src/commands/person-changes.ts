import { UserFacingError } from '../errors.js'
import { matchVillage } from '../parse/village.js'
import { checkChatPhone } from '../records/person-fields.js'
import { maskPhone } from '../records/pii.js'
import { HOUSEHOLD_TYPES, type Person, type PersonChanges } from '../records/schemas.js'
import { describeCategory } from './find-people.js'

// 修改 #N of a person on the roster (docs/corrections.md, "A person's details"): the details a
// township fixes by chat, not by a new roster sheet: the household type 优待金 is paid by, the
// phone and the village. The roster import adds people and never changes one already there.

/** The field words of a person's 修改, each to the detail it changes. */
export const PERSON_FIELD_WORDS = {
  户口: 'householdType',
  户口类型: 'householdType',
  户籍: 'householdType',
  电话: 'phone',
  手机: 'phone',
  手机号: 'phone',
  联系电话: 'phone',
  村: 'village',
  所在村: 'village',
  村社区: 'village',
  // Named so the refusal says how they are fixed instead of showing the format.
  姓名: 'fixed',
  名字: 'fixed',
  类别: 'fixed',
  身份证: 'fixed',
  身份证号: 'fixed',
} as const

export type PersonField = (typeof PERSON_FIELD_WORDS)[keyof typeof PERSON_FIELD_WORDS]

const NONE = /^(无|没有|清空|删除|—|-)$/

/** What a person's 修改 can change, as a refusal lists it. */
export const PERSON_EDITABLE = '户口 电话 村'

/** The change `word value` makes to `person`; throws UserFacingError saying how to write it. */
export function toPersonChanges(
  person: Person,
  word: string,
  value: string,
  villages: readonly string[],
): PersonChanges {
  const field = (PERSON_FIELD_WORDS as Record<string, PersonField | undefined>)[word]
  const id = person.id
  switch (field) {
    case 'householdType': {
      const type = value.replace(/户口$|户$/, '')
      if (!(HOUSEHOLD_TYPES as readonly string[]).includes(type)) {
        throw new UserFacingError(`户口请写农村或城镇，如「修改 #${id} 户口 农村」。`)
      }
      return { householdType: type as Person['householdType'] }
    }
    case 'phone': {
      if (NONE.test(value)) return { phone: null }
      const checked = checkChatPhone(value)
      if ('problem' in checked) throw new UserFacingError(`${checked.problem}，#${id} 未修改。`)
      return { phone: checked.value }
    }
    case 'village': {
      const village = matchVillage(value, villages)
      if (!village) {
        throw new UserFacingError(
          `没有「${value}」这个村（社区），#${id} 未修改。\n如「修改 #${id} 村 ${villages[0] ?? '铁炉嘴村'}」。`,
        )
      }
      return { village }
    }
    default:
      throw new UserFacingError(
        [
          `#${id} 是花名册上的对象${person.name}，`,
          `可改：${PERSON_EDITABLE}，`,
          `如「修改 #${id} 户口 农村」`,
          `「修改 #${id} 电话 13800000000」。`,
          '姓名、类别、身份证号有误，',
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
  change('村', before.village, after.village)
  change('户口', before.householdType ?? '未注明', after.householdType ?? '未注明')
  if (phone !== undefined) {
    change('电话', before.phoneMasked ?? '无', phone === '' ? '无' : maskPhone(phone))
  }
  const head = `已修改 #${after.id} ${before.village} ${before.name}（${describeCategory(before)}）：`
  return lines.length <= 1 ? `${head}${lines[0] ?? '没有变化'}` : [head, ...lines].join('\n')
}
