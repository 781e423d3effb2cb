import { foldText } from '../parse/normalize.js'

/**
 * The roster (花名册) column layout shared by import and export: Chinese headers in the order
 * a township's roster has them. Export writes `header`; import also accepts each alias.
 */

export type RosterField =
  | 'name'
  | 'village'
  | 'category'
  | 'disability'
  | 'householdType'
  | 'enlistedAt'
  | 'cohort'
  | 'soldierName'
  | 'phone'
  | 'idNumber'
  | 'notes'

export interface RosterColumn {
  field: RosterField
  header: string
  /** Other headers found on township rosters for the same column. */
  aliases: readonly string[]
  /** Import refuses a file without this column. */
  required: boolean
  /** Export column width in characters. */
  width: number
}

export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  { field: 'name', header: '姓名', aliases: ['名字', '对象姓名'], required: true, width: 10 },
  {
    field: 'village',
    header: '村（社区）',
    aliases: ['村', '社区', '村居', '所在村', '所属村', '村别', '村委会', '村（居）'],
    required: true,
    width: 14,
  },
  {
    field: 'category',
    header: '类别',
    aliases: ['优抚类别', '对象类别', '人员类别', '优抚对象类别'],
    required: true,
    width: 18,
  },
  {
    field: 'disability',
    header: '残疾等级',
    aliases: ['伤残等级', '残疾等次', '伤残等次', '等级'],
    required: false,
    width: 14,
  },
  {
    field: 'householdType',
    header: '户口类型',
    aliases: ['户籍类型', '户口性质', '户籍性质', '户别'],
    required: false,
    width: 10,
  },
  {
    field: 'enlistedAt',
    header: '入伍时间',
    aliases: ['入伍日期', '入伍年月'],
    required: false,
    width: 12,
  },
  {
    field: 'cohort',
    header: '入伍批次',
    aliases: ['批次', '入伍季节'],
    required: false,
    width: 10,
  },
  {
    field: 'soldierName',
    header: '义务兵姓名',
    aliases: ['士兵姓名', '入伍人姓名', '入伍人员姓名', '现役人员姓名'],
    required: false,
    width: 10,
  },
  {
    field: 'phone',
    header: '电话',
    aliases: ['联系电话', '电话号码', '手机', '手机号', '手机号码', '联系方式'],
    required: false,
    width: 15,
  },
  {
    field: 'idNumber',
    header: '身份证号',
    aliases: ['身份证', '身份证号码', '公民身份号码', '身份证件号码'],
    required: false,
    width: 21,
  },
  { field: 'notes', header: '备注', aliases: [], required: false, width: 30 },
]

/**
 * Header text reduced to what identifies a column: folded to simplified half-width, without
 * spaces, brackets, separators or the `*` that marks required columns on some templates.
 */
function headerKey(text: string): string {
  return foldText(text).replace(/[\s()[\]【】/、·:*]/g, '')
}

const BY_KEY = new Map<string, RosterField>(
  ROSTER_COLUMNS.flatMap((c) => [c.header, ...c.aliases].map((h) => [headerKey(h), c.field])),
)

/**
 * The field a header cell names, leniently: `村(社区)`, `村/社区`, ` 類別 ` and `*姓名` all
 * match. Undefined for a column we do not know (reported to the operator, then ignored).
 */
export function matchHeader(text: string): RosterField | undefined {
  return BY_KEY.get(headerKey(text))
}

/** The export header of `field`, also used to name a column in error messages. */
export function headerOf(field: RosterField): string {
  return ROSTER_COLUMNS.find((c) => c.field === field)!.header
}
