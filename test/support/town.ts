import type { Person, VisitInput, WriteMeta } from '../../src/records/schemas.js'
import type { TestBot } from './bot.js'

let seq = 0

/** A write by the bootstrap admin with a fresh idempotency key. */
export const adminMeta = (at = new Date('2026-07-01T02:00:00Z')): WriteMeta => ({
  actor: 'sandbox:admin',
  at,
  idempotencyKey: `seed-${++seq}`,
})

export interface Town {
  people: Record<string, Person>
}

/**
 * The township of the tally tests (issue 4's example): ten conscript families, four rural
 * (铁炉嘴村 李一-李三, 童家坝村 王一) and six urban (童家坝村 王二 王三, 新街社区 孙一-孙四), plus
 * 张三 (残疾军人) and 赵六 (烈士遗属). Allowance standards: 2025 农村 5500 / 城镇 8300, 2026
 * 5800 / 8600. Roles: sandbox:admin (ADMIN_USERS), sandbox:boss 领导, sandbox:li cadre of 铁炉嘴村.
 */
export async function seedTown(t: TestBot): Promise<Town> {
  const s = t.bot.services
  for (const v of ['铁炉嘴村', '童家坝村', '新街社区']) await s.villages.addVillage(v, adminMeta())
  const roster: [string, string, Person['category'], Person['householdType']?, string?][] = [
    ['张三', '铁炉嘴村', '残疾军人', undefined, '13800001111'],
    ['赵六', '童家坝村', '烈士遗属'],
    ['李一', '铁炉嘴村', '义务兵家庭', '农村', '13800002222'],
    ['李二', '铁炉嘴村', '义务兵家庭', '农村'],
    ['李三', '铁炉嘴村', '义务兵家庭', '农村'],
    ['王一', '童家坝村', '义务兵家庭', '农村'],
    ['王二', '童家坝村', '义务兵家庭', '城镇'],
    ['王三', '童家坝村', '义务兵家庭', '城镇'],
    ['孙一', '新街社区', '义务兵家庭', '城镇'],
    ['孙二', '新街社区', '义务兵家庭', '城镇'],
    ['孙三', '新街社区', '义务兵家庭', '城镇'],
    ['孙四', '新街社区', '义务兵家庭', '城镇'],
  ]
  const people: Record<string, Person> = {}
  for (const [i, [name, village, category, householdType, phone]] of roster.entries()) {
    const { record } = await s.people.addPerson(
      {
        name,
        village,
        category,
        ...(householdType && { householdType }),
        ...(phone && { phone }),
        idNumber: `32010219900101${String(1000 + i)}`,
      },
      adminMeta(),
    )
    people[name] = record
  }
  await s.allowances.setAllowanceStandard(
    2025,
    { mode: 'split', ruralFen: 550_000, urbanFen: 830_000 },
    adminMeta(),
  )
  await s.allowances.setAllowanceStandard(
    2026,
    { mode: 'split', ruralFen: 580_000, urbanFen: 860_000 },
    adminMeta(),
  )
  await s.roles.set(
    'sandbox:boss',
    { role: 'leader', villages: [], setBy: 'test', setAt: '' },
    adminMeta(),
  )
  await s.roles.set(
    'sandbox:li',
    { role: 'cadre', villages: ['铁炉嘴村'], setBy: 'test', setAt: '' },
    adminMeta(),
  )
  return { people }
}

/** Pays every family of `names` at `year`'s standard. */
export async function payAll(t: TestBot, town: Town, year: number, names: string[]) {
  const { allowances } = t.bot.services
  const standard = (await allowances.getAllowanceStandard(year))!
  for (const name of names) {
    const p = town.people[name]!
    const amountFen =
      standard.mode === 'unified'
        ? standard.fen
        : p.householdType === '农村'
          ? standard.ruralFen
          : standard.urbanFen
    await allowances.addPayment(
      { personId: p.id, year, amountFen, date: `${year}-07-20` },
      adminMeta(),
    )
  }
}

/** A 2026 八一 visit to `name` (date 07-28, 500 元 and 米一袋 unless `extra` says otherwise). */
export async function visit(t: TestBot, town: Town, name: string, extra: Partial<VisitInput> = {}) {
  return t.bot.services.visits.addVisit(
    {
      date: '2026-07-28',
      occasion: '八一',
      campaignYear: 2026,
      personId: town.people[name]!.id,
      visitors: ['李书记'],
      cashFen: 50_000,
      goods: [{ name: '米', quantity: 1, unit: '袋' }],
      ...extra,
    },
    adminMeta(),
  )
}

export const CONSCRIPTS = [
  '李一',
  '李二',
  '李三',
  '王一',
  '王二',
  '王三',
  '孙一',
  '孙二',
  '孙三',
  '孙四',
]
