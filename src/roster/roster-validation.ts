import { categoryOf } from '../commands/people.js'
import { UserFacingError } from '../errors.js'
import { scanDates, todayIn } from '../parse/date.js'
import { foldText } from '../parse/normalize.js'
import { looksLikeVillage, matchVillage } from '../parse/village.js'
import { checkIdNumber as checkSharedIdNumber } from '../records/id-number.js'
import { checkSoldierName, nameProblem, notesProblem } from '../records/person-fields.js'
import { normalizePhone } from '../records/pii.js'
import {
  CATEGORIES,
  CONSCRIPT_FAMILY,
  DISABILITY_GRADES,
  LEGACY_DISABILITY_LABELS,
  personInputSchema,
  villageNameSchema,
  type Cohort,
  type Disability,
  type DisabilityGrade,
  type HouseholdType,
  type LegacyDisabilityLabel,
  type PersonInput,
} from '../records/schemas.js'
import { makeLocalDate } from '../time/local-date.js'
import { headerOf, type RosterField } from './columns.js'
import type { RosterCell, RosterRow, RosterSheet } from './roster-sheet.js'

/** A row's problems (errors or notes), each a Chinese sentence without the row prefix. */
export interface RowMessages {
  row: number
  messages: string[]
}

export interface ValidRow {
  row: number
  input: PersonInput
}

export interface RosterValidation {
  valid: ValidRow[]
  invalid: RowMessages[]
  /** Things accepted with an assumption the operator should know (a month-only date). */
  notes: RowMessages[]
  /** Villages the valid rows name that are not registered yet, in first-seen order. */
  newVillages: string[]
}

export interface ValidateOptions {
  /** Registered villages; a row naming another full 村/社区 name registers it. */
  knownVillages: readonly string[]
  now: Date
  /** IANA zone of "today" for dates (BOT_TIMEZONE). */
  timezone: string
}

/**
 * Checks every row and turns the valid ones into PersonInput. Errors are Chinese sentences
 * naming the column and what to write instead; a row with any error is not valid. Pure.
 */
export function validateRoster(sheet: RosterSheet, options: ValidateOptions): RosterValidation {
  const villages = resolveVillages(sheet.rows, options.knownVillages)
  const valid: ValidRow[] = []
  const invalid: RowMessages[] = []
  const notes: RowMessages[] = []
  const idRows = new Map<string, number>()
  const usedNew = new Set<string>()
  for (const row of sheet.rows) {
    const checked = checkRow(row, villages, options)
    const id = checked.input?.idNumber
    if (id !== undefined) {
      const earlier = idRows.get(id)
      if (earlier !== undefined) checked.errors.push(`身份证号与第 ${earlier} 行相同`)
      else idRows.set(id, row.row)
    }
    if (checked.notes.length > 0) notes.push({ row: row.row, messages: checked.notes })
    if (checked.errors.length > 0 || !checked.input) {
      invalid.push({ row: row.row, messages: checked.errors })
      continue
    }
    valid.push({ row: row.row, input: checked.input })
    if (villages.created.has(checked.input.village)) usedNew.add(checked.input.village)
  }
  const newVillages = [...villages.created].filter((v) => usedNew.has(v))
  return { valid, invalid, notes, newVillages }
}

interface VillageResolution {
  /** Folded cell text → the village it names, for every cell that names one. */
  byCell: Map<string, string>
  /** Full names not registered yet, in first-seen order. */
  created: Set<string>
}

// 村委会/居委会 name the committee, not the place; the roster keys villages by 村/社区.
const COMMITTEE_SUFFIXES: [RegExp, string][] = [
  [/(?:村民委员会|村委会)$/, '村'],
  [/(?:社区居委会|居民委员会|居委会)$/, '社区'],
]

/**
 * Villages in two passes, so that `铁炉嘴` on row 9 finds the 铁炉嘴村 that row 3 registers:
 * first every full new name, then each cell against registered + new names.
 */
function resolveVillages(rows: RosterRow[], known: readonly string[]): VillageResolution {
  const created = new Set<string>()
  const cellTexts = rows.map((r) => r.cells.village && compactText(r.cells.village.text))
  for (const text of cellTexts) {
    if (!text || matchVillage(text, known) !== undefined) continue
    const full = COMMITTEE_SUFFIXES.reduce((s, [re, to]) => s.replace(re, to), text)
    if (looksLikeVillage(full) && villageNameSchema.safeParse(full).success) created.add(full)
  }
  const all = [...known, ...created]
  const byCell = new Map<string, string>()
  for (const text of cellTexts) {
    if (!text || byCell.has(text)) continue
    const match = matchVillage(text, all)
    if (match !== undefined) byCell.set(text, match)
  }
  // A new name only counts when some cell resolved to it (not shadowed by an ambiguity).
  const used = new Set(byCell.values())
  return { byCell, created: new Set([...created].filter((v) => used.has(v))) }
}

/** Folded, with every space removed: `铁 炉 嘴 村`, `張\u3000三` and `二等 乙级` as typed to align. */
function compactText(text: string): string {
  return foldText(text).replace(/\s+/g, '')
}

interface CheckedRow {
  input?: PersonInput
  errors: string[]
  notes: string[]
}

function checkRow(
  row: RosterRow,
  villages: VillageResolution,
  options: ValidateOptions,
): CheckedRow {
  const errors: string[] = []
  const notes: string[] = []
  const { cells } = row
  const input: Partial<PersonInput> = {}

  const name = cells.name && foldText(cells.name.text)
  // Two-character names are padded with spaces to line up (`张  三`); Han names hold none.
  if (!name) errors.push('姓名为空')
  else {
    input.name = /^[\p{Script=Han}\s]+$/u.test(name) ? name.replace(/\s+/g, '') : name
    const problem = nameProblem(input.name)
    if (problem) errors.push(problem)
  }

  const villageText = cells.village && compactText(cells.village.text)
  if (!villageText) errors.push('村（社区）为空')
  else {
    const village = villages.byCell.get(villageText)
    if (village) input.village = village
    else {
      errors.push(
        `村（社区）「${cells.village!.text}」不认识：新的村（社区）请写全称，以「村」或「社区」结尾，如「铁炉嘴村」`,
      )
    }
  }

  const categoryText = cells.category && compactText(cells.category.text)
  if (!categoryText) errors.push(`类别为空，可用：${CATEGORIES.join('、')}`)
  else {
    const category = categoryOf(categoryText)
    if (category) input.category = category
    else errors.push(`类别「${cells.category!.text}」不认识，可用：${CATEGORIES.join('、')}`)
  }

  if (cells.disability) {
    const disability = parseDisability(compactText(cells.disability.text))
    if (disability) input.disability = disability
    else {
      errors.push(
        `残疾等级「${cells.disability.text}」不认识，可用：一级…十级，或旧等级 ${LEGACY_DISABILITY_LABELS.join('、')}`,
      )
    }
  }

  if (cells.householdType) {
    const type = HOUSEHOLD_ALIASES[compactText(cells.householdType.text)]
    if (type) input.householdType = type
    else errors.push(`户口类型「${cells.householdType.text}」不认识，请填 农村 或 城镇`)
  }

  if (cells.enlistedAt) {
    const enlisted = parseEnlistedAt(cells.enlistedAt.text, options)
    if (enlisted.error) errors.push(enlisted.error)
    if (enlisted.note) notes.push(enlisted.note)
    if (enlisted.date) input.enlistedAt = enlisted.date
  }

  if (cells.cohort) {
    const cohort = COHORT_ALIASES[compactText(cells.cohort.text)]
    if (cohort) input.cohort = cohort
    else errors.push(`入伍批次「${cells.cohort.text}」不认识，请填 3-1、9-1、春季 或 秋季`)
  }

  if (cells.soldierName) {
    const soldier = checkSoldierName(cells.soldierName.text)
    if ('problem' in soldier) errors.push(soldier.problem.replace(/，如「义务兵 .*」$/, ''))
    else if (input.category && input.category !== CONSCRIPT_FAMILY) {
      errors.push(`义务兵姓名只填义务兵家庭，这一行的类别是「${input.category}」`)
    } else input.soldierName = soldier.value
  }

  if (cells.phone) {
    const phone = checkPhone(cells.phone)
    if (phone.error) errors.push(phone.error)
    else input.phone = phone.value
  }

  if (cells.idNumber) {
    const id = checkIdNumber(cells.idNumber, todayIn(options.now, options.timezone) ?? '')
    if (id.error) errors.push(id.error)
    else input.idNumber = id.value
  }

  if (cells.notes) {
    input.notes = foldText(cells.notes.text)
    const problem = notesProblem(input.notes)
    if (problem) errors.push(problem.replace('重发', '重新导入'))
  }

  if (errors.length > 0) return { errors, notes }
  const parsed = personInputSchema.safeParse(input)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as RosterField
      errors.push(`${headerOf(field)}不符合要求：${SCHEMA_HINTS[field] ?? issue.message}`)
    }
    return { errors, notes }
  }
  return { input: parsed.data, errors, notes }
}

const SCHEMA_HINTS: Partial<Record<RosterField, string>> = {
  name: '1–30 个字，不能含 | 或 :',
  notes: '最多 500 个字',
}

const HOUSEHOLD_ALIASES: Record<string, HouseholdType> = {
  农村: '农村',
  农业: '农村',
  农业户口: '农村',
  农村户口: '农村',
  城镇: '城镇',
  城镇户口: '城镇',
  非农业: '城镇',
  非农: '城镇',
  非农业户口: '城镇',
}

const COHORT_ALIASES: Record<string, Cohort> = {
  '3-1': '3-1',
  '3.1': '3-1',
  '3/1': '3-1',
  '3月': '3-1',
  春季: '3-1',
  春: '3-1',
  上半年: '3-1',
  '9-1': '9-1',
  '9.1': '9-1',
  '9/1': '9-1',
  '9月': '9-1',
  秋季: '9-1',
  秋: '9-1',
  下半年: '9-1',
}

/**
 * `六级`, `6级`, `二等乙级`, `二等乙`, or both (`六级/二等乙级`, `六级（二等乙级）`); the two
 * forms are kept side by side, never converted (schemas.ts says why). Undefined if unknown.
 */
function parseDisability(text: string): Disability | undefined {
  const words = text.split(/[/、,;()]+/).filter(Boolean)
  if (words.length === 0 || words.length > 2) return undefined
  let grade: DisabilityGrade | undefined
  let legacyLabel: LegacyDisabilityLabel | undefined
  for (const word of words) {
    const arabic = /^(\d{1,2})级$/.exec(word)
    const asGrade = arabic ? DISABILITY_GRADES[Number(arabic[1]) - 1] : word
    if ((DISABILITY_GRADES as readonly string[]).includes(asGrade ?? '') && !grade) {
      grade = asGrade as DisabilityGrade
      continue
    }
    const legacy = [word, `${word}级`].find((w) =>
      (LEGACY_DISABILITY_LABELS as readonly string[]).includes(w),
    )
    if (legacy && !legacyLabel) {
      legacyLabel = legacy as LegacyDisabilityLabel
      continue
    }
    return undefined
  }
  return { ...(grade && { grade }), ...(legacyLabel && { legacyLabel }) }
}

function parseEnlistedAt(
  raw: string,
  options: ValidateOptions,
): { date?: string; error?: string; note?: string } {
  const text = compactText(raw)
  const bad = {
    error: `入伍时间「${raw}」不是完整日期，请写成 2019-09-01 或 2019年9月1日`,
  }
  let date: string | undefined
  let note: string | undefined
  const digits = /^(\d{4})(\d{2})(\d{2})$/.exec(text)
  const yearMonth = /^(\d{4})[.\-/年](\d{1,2})月?$/.exec(text)
  if (digits) {
    date = makeLocalDate(Number(digits[1]), Number(digits[2]), Number(digits[3]))
  } else if (yearMonth) {
    // Rosters often give the month only; the 1st keeps the year and month right for tallies.
    date = makeLocalDate(Number(yearMonth[1]), Number(yearMonth[2]), 1)
    if (date) note = `入伍时间「${raw}」只有年月，按 ${date} 登记`
  } else {
    const dateOptions = { now: options.now, timezone: options.timezone, direction: 'past' as const }
    const whole = scanDates(text, dateOptions).find(
      (m) => m.start === 0 && m.end === text.length && m.kind === 'full',
    )
    date = whole?.date
  }
  if (!date) return bad
  const today = todayIn(options.now, options.timezone)
  if (today !== undefined && date > today) {
    return { error: `入伍时间「${raw}」在今天之后，请核对` }
  }
  return { date, ...(note && { note }) }
}

const MASKED = /[*＊]/

function checkPhone(cell: RosterCell): { value?: string; error?: string } {
  if (MASKED.test(cell.text)) {
    return { error: `电话「${cell.text}」是打码的（导出时没加 --reveal），不能导入，请填完整号码` }
  }
  try {
    return { value: normalizePhone(cell.text) }
  } catch (err) {
    if (!(err instanceof UserFacingError)) throw err
    return { error: `${trimStop(err.replyText)}（填的是「${cell.text}」）` }
  }
}

function checkIdNumber(cell: RosterCell, today: string): { value?: string; error?: string } {
  if (MASKED.test(cell.text)) {
    return {
      error: `身份证号「${cell.text}」是打码的（导出时没加 --reveal），不能导入，请填完整号码`,
    }
  }
  // Excel keeps 15 significant digits of a number: an 18-digit ID typed into a General cell
  // is already wrong in the file (…1234 saved as …1260), so only the sender can fix it.
  if (cell.kind === 'number' && cell.text.replace(/\D/g, '').length > 15) {
    return {
      error:
        '身份证号被 Excel 存成了数字，后几位已丢失：请把这一列设为「文本」格式，重新输入号码后再导入',
    }
  }
  // The same check as 添加对象 in chat (id-number.ts): a report line is as easily forwarded.
  const checked = checkSharedIdNumber(cell.text, today)
  return 'problem' in checked ? { error: `${checked.problem}，请核对` } : { value: checked.value }
}

function trimStop(text: string): string {
  return text.replace(/[。.]$/, '')
}
