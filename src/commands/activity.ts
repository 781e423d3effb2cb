import { z } from 'zod'
import { CADRE_AND_UP, mayTouch, type Command, type CommandContext } from '../bot/command.js'
import { ConfirmationNeeded, type FormContext, type FormSpec } from '../bot/forms.js'
import type { FormSummary } from '../bot/form-notes.js'
import { UserFacingError } from '../errors.js'
import { formatYuan, parseAmountFen, typedYuan, wholeNumberOf } from '../parse/amount.js'
import { readDate } from '../parse/date.js'
import { parseRecordLine, type RecordLine } from '../parse/record-line.js'
import { matchVillage } from '../parse/village.js'
import { shownTitle } from '../records/activity-title.js'
import { wrapToWidth } from '../replies/wrap-lines.js'
import { DuplicateRecordError } from '../records/duplicate-error.js'
import {
  ACTIVITY_KINDS,
  SITE_KINDS,
  activityUnitSchema,
  type Activity,
  type ActivityKind,
  type SiteKind,
} from '../records/schemas.js'
import { partsOf } from '../time/local-date.js'
import { checkedDateFields, duplicateConfirmed } from './draft-fields.js'
import type { CommandServices, RecordServices } from './services.js'
import { userNameOf } from '../user-names.js'
import { acceptFarBack, checkLineDate, farBackQuestion, readDoneAnswer } from './done-date.js'
import { RECORD_COMMAND_WORD, isUnitWord, typedFreeText, unitNameOf } from './people-lookup.js'
import { typedSpan } from '../parse/normalize.js'
import { goodsItem, goodsList } from '../replies/goods-list.js'

/**
 * 全镇 as its replies name an activity of no one village (`全镇 座谈会`): written back, it says
 * so rather than being taken for a unit or refused.
 */
const TOWNSHIP_WORD = /^(?:全镇|全乡|全街道|镇里|乡里)$/

// Names of activities as cadres write them.
const KIND_WORDS: [RegExp, ActivityKind][] = [
  [/^(座谈会|座谈)$/, '座谈会'],
  [/^(晚会|双拥晚会|文艺晚会|联欢会)$/, '晚会'],
  [/^(表彰会|表彰大会|表彰)$/, '表彰会'],
  [/^(慰问团|慰问演出)$/, '慰问团'],
  [/^(军训|学生军训)$/, '军训'],
  [/^(共建点|共建|军民共建点)$/, '共建点'],
  [/^(慰问部队|慰问驻地部队|走访部队|慰问驻军|走访驻地部队|拥军慰问)$/, '慰问部队'],
]

// A unit is part of the same-day guard's counter field, which `|` and `:` would break.
const UNIT_MARKS = '部队名称里不能有「|」或「:」，请只写名称，如「武警中队」。'

// Two lines: one would run past a phone's 40 columns.
const UNIT_PROMPT = '慰问的是哪支部队？\n如「武警中队」「消防救援站」。'

/** The yes to 「「李庄」是部队名称吗？」. */
const UNIT_YES = new Set(['是', '是的', '对', '对的', '确认', '确定'])

const KIND_PROMPT = '是什么活动？请回复 座谈会、晚会、表彰会、慰问团、军训、共建点 或 慰问部队。'

// How many came, in the words of the trade: 观众300人 at a 晚会, 参加80人 at a 座谈会, and the
// students of a 军训 (学生300人, 学生 300, 参训学生 300): domain.md counts 军训 in students.
const AUDIENCE =
  /(?:观众|参加|参会|参与|到场|出席|与会|参训学生|参训|学生)(?:人数)?\s*[:：]?\s*(\d+)\s*(?:人次|人|名)?/

// A number standing alone (`活动 军训 今天 5259`): an activity's head count, never money.
const BARE_NUMBER = /(^|[\s,，、;；])(\d{1,7})(?=[\s,，、;；。!?]|$)/

/**
 * `观众300人` → `人数300`, the spelling the record line reads as a count; so is a number alone,
 * which the record line would read as an amount (and 活动 would refuse as cash).
 */
export function withAudienceAsCount(text: string): string {
  // Only before the note: the note's text is kept as written (and found as typed).
  const noteAt = text.search(/(?:^|[\s,，.。;；、])(?:备注|需求|困难|问题)/)
  const note = noteAt < 0 ? '' : text.slice(noteAt)
  const fields = (noteAt < 0 ? text : text.slice(0, noteAt)).replace(
    AUDIENCE,
    (_all, n: string) => ` 人数${n} `,
  )
  if (/人数\s*[:：]?\s*\d|\d\s*(?:人|名)/.test(fields)) return fields + note
  return (
    fields.replace(BARE_NUMBER, (_all, before: string, n: string) => `${before}人数${n}`) + note
  )
}

// A longer name of a gathering, ending in its kind's word: 迎春座谈会, 八一双拥晚会, 军民联欢会.
const NAMED_KIND = /^\S{1,10}?(座谈会|晚会|联欢会|表彰大会|表彰会|慰问团|军训)$/

function kindOf(word: string): ActivityKind | undefined {
  const named = KIND_WORDS.find(([pattern]) => pattern.test(word))?.[1]
  if (named) return named
  const ending = NAMED_KIND.exec(word)?.[1]
  return ending ? KIND_WORDS.find(([pattern]) => pattern.test(ending))?.[1] : undefined
}

/**
 * The name to keep for an activity written as `word` of `kind`: a longer form than the kind's
 * own (双拥晚会, 迎春座谈会, 表彰大会), not a shorter one (座谈, 表彰) or the kind itself. A 慰问部队
 * is named by its unit and a 共建点 by its site kind instead.
 */
function writtenTitle(word: string, kind: ActivityKind): string | undefined {
  if (kind === '慰问部队' || kind === '共建点') return undefined
  return word !== kind && word.length > kind.length && word.length <= 20 ? word : undefined
}

/**
 * The name `word` gives an activity of `kind` in a 修改 (`修改 #17 名称 迎春晚会`): a title, or
 * null for the kind's own name (晚会, 联欢会 for a 晚会); undefined when `word` names another kind
 * or none (a correction does not change what an activity is counted as).
 */
export function retitled(word: string, kind: ActivityKind): string | null | undefined {
  if (kindOf(word) !== kind) return undefined
  return writtenTitle(word, kind) ?? null
}

/** What the activity form's pending `field` asks for, as the line about an open form names it. */
function activityMissing(field: string): Pick<FormSummary, 'missing' | 'answer'> {
  switch (field) {
    case 'kind':
      return { missing: '活动类别', answer: '类别（如「座谈会」）' }
    case 'date':
      return { missing: '日期' }
    case 'dateYear':
      return { missing: '确认日期', answer: '「确认」或正确日期' }
    case 'count':
      return { missing: '参训人数', answer: '人数' }
    case 'countCheck':
      return { missing: '确认人数', answer: '「确认」或正确人数' }
    case 'unit':
      return { missing: '部队名称', answer: '名称（如「武警中队」）' }
    case 'unitCheck':
      return { missing: '确认部队名称', answer: '「是」或部队名称' }
    case 'site':
      return { missing: '共建点类别', answer: '类别（如「学校」）' }
    default:
      return { missing: '您的确认', answer: '「确认」' }
  }
}

/**
 * More people than an activity of its kind gathers in a township: a typing slip (人数117441
 * for a 座谈会, domain.md) until the cadre confirms it. 军训 counts a county's students.
 */
const USUAL_MOST_PEOPLE: Partial<Record<ActivityKind, number>> = { 军训: 20_000, 晚会: 10_000 }
const USUAL_MOST_PEOPLE_OTHERWISE = 1_000

/** Why `count` looks like a slip for an activity of `kind`, or undefined. */
export function countSlip(kind: ActivityKind, count: number): string | undefined {
  const most = USUAL_MOST_PEOPLE[kind] ?? USUAL_MOST_PEOPLE_OTHERWISE
  return count > most
    ? `${kind} ${count.toLocaleString('en-US')} 人，超过常见的 ${most.toLocaleString('en-US')} 人`
    : undefined
}

/** An activity being filled in, between turns (forms.ts). */
const activityDraftSchema = z
  .object(
    Object.assign({}, checkedDateFields, {
      activityKind: z.enum(ACTIVITY_KINDS).optional(),
      /** Students trained (军训) or people reached. */
      count: z.number().int().nonnegative().max(10_000_000).optional(),
      siteKind: z.enum(SITE_KINDS).optional(),
      village: z.string().max(30).optional(),
      notes: z.string().max(500).optional(),
      /** The name written when longer than the kind's (双拥晚会): the record's `title`. */
      title: z.string().max(20).optional(),
      /** The unit a 慰问部队 went to (武警中队): the record's `unitName`. */
      unitName: z.string().max(30).optional(),
      /** A name with no unit word, asked once whether it is the unit (readUnit). */
      unitAsked: z.string().max(30).optional(),
      /** 「确认」 to a head count above the kind's usual ceiling (countSlip). */
      countConfirmed: z.boolean().optional(),
      duplicateConfirmed,
    }),
  )
  .strict()
export type ActivityDraft = z.infer<typeof activityDraftSchema>

/** The activity form: kind → date → students (军训) → site kind (共建点) → unit (慰问部队). */
export function createActivityForm(services: RecordServices): FormSpec<ActivityDraft> {
  const doneRules = (ctx: FormContext) => ({
    now: ctx.now,
    timezone: services.timezone,
    what: '活动',
  })
  return {
    kind: 'activity',
    draft: activityDraftSchema,
    version: 1,
    nextQuestion(values, ctx) {
      if (values.activityKind === undefined)
        return { field: 'kind', prompt: `${KIND_PROMPT}回复「取消」退出。` }
      if (values.date === undefined)
        return { field: 'date', prompt: '活动日期？如「今天」「7月30日」。' }
      const farBack = farBackQuestion(values, doneRules(ctx))
      if (farBack) return farBack
      if (values.activityKind === '军训' && values.count === undefined) {
        return { field: 'count', prompt: '参训学生多少人？如「5259」。' }
      }
      const slip =
        values.count !== undefined && values.countConfirmed !== true
          ? countSlip(values.activityKind, values.count)
          : undefined
      if (slip) {
        return {
          field: 'countCheck',
          prompt: `${slip}，未登记。如确有此事请回复「确认」；人数有误请回复正确人数，如「40」。`,
        }
      }
      if (values.activityKind === '共建点' && values.siteKind === undefined) {
        return { field: 'site', prompt: '共建点是哪类？请回复 村、学校、社区 或 企业。' }
      }
      if (values.activityKind === '慰问部队' && values.unitName === undefined) {
        if (values.unitAsked !== undefined) {
          return {
            field: 'unitCheck',
            prompt: wrapToWidth(
              `「${values.unitAsked}」是部队名称吗？是请回复「是」，不是请重新回复部队名称。`,
            ).join('\n'),
          }
        }
        return { field: 'unit', prompt: UNIT_PROMPT }
      }
      return undefined
    },

    claimsAnswer(field, answer) {
      return field === 'kind' && kindOf(answer.split(WORD_SEPARATOR)[0]!) !== undefined
    },

    async accept(field, typed, values, ctx) {
      // 「座谈会。」「40人。」「人武部。」: a final mark is no part of the answer.
      const answer = typed.replace(/[。.,;!?、]+$/, '')
      const next: ActivityDraft = Object.assign({}, values)
      if (field === 'kind') {
        const kind = kindOf(answer)
        if (kind) {
          next.activityKind = kind
          const title = writtenTitle(answer, kind)
          if (title) next.title = title
        } else {
          // A whole line as the answer (`座谈会 昨天 全镇 40人`) is read as the line it is.
          const read = WORD_SEPARATOR.test(answer)
            ? await activityLineDraft(answer, ctx, services)
            : undefined
          if (read?.values.activityKind === undefined) throw new UserFacingError(KIND_PROMPT)
          Object.assign(next, read.values)
          if (read.townshipWide) delete next.village
          return read.lead ? { values: next, say: read.lead } : { values: next }
        }
      } else if (field === 'date') {
        Object.assign(next, readDoneAnswer(answer, doneRules(ctx)))
      } else if (field === 'dateYear') {
        return { values: acceptFarBack(answer, next, doneRules(ctx)) }
      } else if (field === 'count' || field === 'countCheck') {
        if (field === 'countCheck' && answer === '确认')
          return { values: Object.assign({}, next, { countConfirmed: true }) }
        const count = /^(\d+|[零〇一二两三四五六七八九十百千万]+)\s*(人|名)?$/.exec(answer)
        const counted = count ? wholeNumberOf(count[1]!) : undefined
        if (counted === undefined) throw new UserFacingError('请回复人数，如「5259」。')
        next.count = counted
        next.countConfirmed = false
      } else if (field === 'site') {
        const site = siteKindOf(answer)
        if (!site) throw new UserFacingError('请回复 村、学校、社区 或 企业。')
        next.siteKind = site
      } else if (field === 'unitCheck' && UNIT_YES.has(answer)) {
        next.unitName = values.unitAsked
        next.unitAsked = undefined
      } else if (field === 'unit' || field === 'unitCheck') {
        if (WORD_SEPARATOR.test(answer) && readsMoreThanWords(answer, services, ctx)) {
          throw new UserFacingError(wrapToWidth(`请只回复部队名称。\n${UNIT_PROMPT}`).join('\n'))
        }
        const unit = answer.replace(/\s+/g, '')
        if (!unit || unit.length > 30)
          throw new UserFacingError('请回复部队名称（30 字以内），如「武警中队」。')
        if (!activityUnitSchema.safeParse(unit).success) throw new UserFacingError(UNIT_MARKS)
        const read = await readUnit(unit, await services.villages.listVillages(), services, ctx)
        if ('refused' in read) {
          throw new UserFacingError(wrapToWidth(`${read.refused}\n${UNIT_PROMPT}`).join('\n'))
        }
        // Whatever was asked before is replaced by this answer.
        next.unitName = read.unitName
        next.unitAsked = read.unitAsked
      }
      return { values: next }
    },

    async describe(values, field) {
      const filled = [
        values.title ?? values.activityKind,
        values.village,
        values.date,
        values.count === undefined ? undefined : `${values.count} 人`,
        values.siteKind,
        values.unitName,
      ].filter((part): part is string => part !== undefined)
      return { title: '活动登记', filled, ...activityMissing(field) }
    },

    async complete(values, idempotencyKey, ctx) {
      const { village, date, activityKind, notes } = values
      // A draft saved before a kind was changed could carry the other kind's name.
      const unitName = activityKind === '慰问部队' ? values.unitName : undefined
      const title = activityKind === '慰问部队' ? undefined : values.title
      // nextQuestion asks until both are there.
      if (date === undefined || activityKind === undefined) {
        throw new Error('activity draft incomplete')
      }
      if (village && !mayTouch(ctx.actor, village)) {
        throw new UserFacingError(`${village}不在您负责的村，未登记。`)
      }
      const { record, created } = await services.activities
        .addActivity(
          {
            activityKind,
            date,
            year: partsOf(date).year,
            ...(values.count !== undefined && { count: values.count }),
            ...(village && { village }),
            ...(values.siteKind !== undefined && { siteKind: values.siteKind }),
            ...(unitName !== undefined && { unitName }),
            ...(title !== undefined && { title }),
            ...(notes !== undefined && { notes }),
          },
          { actor: ctx.actor.key, at: ctx.now, idempotencyKey },
          { allowDuplicate: values.duplicateConfirmed === true },
        )
        .catch(async (err: unknown) => {
          if (!(err instanceof DuplicateRecordError) || err.earlier.kind !== 'activity') throw err
          const author = await userNameOf(services.roles, err.earlier.createdBy)
          throw new ConfirmationNeeded(repeatPrompt(err.earlier, author), 'duplicateConfirmed')
        })
      return {
        // A note that ends its sentence (「很成功。」) is not given a second 。.
        text: `${created ? '已登记' : '此前已登记'} #${record.id}：${describeActivity(record).replace(/[。.]$/, '')}。\n撤销请回复「撤销 #${record.id}」`,
      }
    },
  }
}

/**
 * The same activity (village, date and title: activityTitle) logged again is held for 「确认」,
 * showing the one there is and who logged it (`author`, userNameOf), as a same-day repeat
 * visit is (visit.ts holdingDuplicates).
 */
function repeatPrompt(earlier: Activity, author: string): string {
  const details = [
    `#${earlier.id}`,
    author,
    ...(earlier.count !== undefined && earlier.count > 0 ? [`${earlier.count} 人`] : []),
  ]
  return [
    `${earlier.village ?? '全镇'} ${earlier.date} 已登记过${shownTitle(earlier)}（${details.join('，')}），这次未登记。`,
    '确是又一次活动请回复「确认」，否则不用回复。',
  ].join('\n')
}

/** `2026-12-02 全镇 慰问部队 武警中队，40 人`: an activity as its record reads (查看 too). */
export function describeActivity(record: Activity): string {
  const unit = record.unitName
  const parts = [
    record.count !== undefined && `${record.count} 人`,
    record.siteKind && `${record.siteKind}`,
    record.notes && `备注：${record.notes}`,
  ].filter(Boolean)
  return `${record.date} ${record.village ?? '全镇'} ${record.title ?? record.activityKind}${unit ? ` ${unit}` : ''}${parts.length ? `，${parts.join('，')}` : ''}`
}

/**
 * Where an activity was held (`地点村委会`, `地点：村委会`, `在村委会`), kept in its notes as
 * `地点：村委会`: a cadre writes it as naturally as the date, and the record has no field of
 * its own for it.
 */
const PLACE = /^(?:地点|地址|在)[:：]?(\S{2,30})$/

/** What parts the words of a line (record-line.ts SEPARATORS): one stands before each word. */
const WORD_SEPARATOR = /[\s,，、;；。!?]/

/**
 * The place (`村委会` of the word `地点:村委会`, folded) as typed (`村委會`): found where the word
 * first stands at the start of a word of the message's args, or undefined (the folded place
 * then serves).
 */
function typedPlace(
  ctx: Pick<CommandContext, 'typedText' | 'message' | 'args'>,
  word: string,
  place: string,
): string | undefined {
  const { typedText, args } = ctx
  const folded = ctx.message.text
  if (typedText === undefined || !folded.endsWith(args)) return undefined
  let at = args.indexOf(word)
  while (at > 0 && !WORD_SEPARATOR.test(args[at - 1]!)) at = args.indexOf(word, at + 1)
  if (at < 0) return undefined
  const end = folded.length - args.length + at + word.length
  return typedSpan(typedText, folded, end - place.length, end)
}

/** 活动: logs a forum, gala, award meeting, delegation, student training, co-building site or troop visit. */
export function createActivityCommand(services: CommandServices): Command {
  return {
    name: '活动',
    audience: CADRE_AND_UP,
    summary: '登记双拥活动（座谈会、晚会、慰问部队、军训等）',
    example: '活动 座谈会 7月30日 人数40',
    async run(ctx) {
      const { values, lead, townshipWide } = await activityLineDraft(ctx.args, ctx, services)
      // A cadre of one village holds its 座谈会 there, not for the whole township.
      if (
        values.village === undefined &&
        !townshipWide &&
        ctx.actor.role === 'cadre' &&
        ctx.actor.villages.length === 1
      )
        values.village = ctx.actor.villages[0]
      return services.forms().start('activity', values, ctx, lead)
    },
  }
}

/**
 * An 活动 line's fields, as the command reads its arguments and the form an answer to 是什么活动？
 * that is a whole line (`座谈会 昨天 全镇 40人`); `lead`, a refusal of the unit written to say
 * before the form's next question; `townshipWide`, 全镇 written.
 */
async function activityLineDraft(
  text: string,
  ctx: FormContext,
  services: RecordServices,
): Promise<{ values: ActivityDraft; lead?: string; townshipWide: boolean }> {
  const line = parseRecordLine(withAudienceAsCount(text), {
    now: ctx.now,
    timezone: services.timezone,
  })
  const values: ActivityDraft = {
    ...checkLineDate(line, { now: ctx.now, timezone: services.timezone, what: '活动' }),
  }
  const villages = await services.villages.listVillages()
  const unitWords: string[] = []
  let place: string | undefined
  let townshipWide = false
  for (const word of line.words) {
    const where = PLACE.exec(word)
    if (where && place === undefined) {
      place = typedPlace(Object.assign({}, ctx, { args: text }), word, where[1]!) ?? where[1]
      continue
    }
    const kind = kindOf(word)
    const village = matchVillage(word, villages)
    const site = siteKindOf(word)
    if (kind && values.activityKind === undefined) {
      values.activityKind = kind
      const title = writtenTitle(word, kind)
      if (title) values.title = title
    } else if (village) values.village = village
    else if (TOWNSHIP_WORD.test(word) && values.village === undefined) townshipWide = true
    else if (site) values.siteKind = site
    // After 慰问部队 the other words name the unit: 武警中队, 消防救援站.
    else if (values.activityKind === '慰问部队') unitWords.push(word)
    else
      throw new UserFacingError(
        `没看懂「${word}」。例：活动 座谈会 7月30日 观众40人；活动 慰问部队 武警中队 今天；活动 共建点 学校 铁炉嘴村。`,
      )
  }
  const unit = unitWords.join('')
  if (unit.length > 30) throw new UserFacingError('部队名称请在 30 字以内，如「武警中队」。')
  if (unit && !activityUnitSchema.safeParse(unit).success) throw new UserFacingError(UNIT_MARKS)
  // The unit written in the line is read as an answer to the unit question would be: a
  // person's name there (`活动 慰问部队 李一 今天`) is said not to be one, and asked for.
  const read = unit ? await readUnit(unit, villages, services, ctx) : undefined
  const lead = read && 'refused' in read ? `${read.refused}\n` : undefined
  if (read && !('refused' in read)) {
    if (read.unitName !== undefined) values.unitName = read.unitName
    if (read.unitAsked !== undefined) values.unitAsked = read.unitAsked
  }
  if (line.count !== undefined) values.count = line.count
  // Stored as typed (docs/lookups.md, "Free text is stored as typed"), but for 「；」: it once
  // ended the unit written at the start of an activity's notes (schemas.ts,
  // activityNotesSchema), so a note keeps it as the half-width 「;」 it is folded to.
  const typed = (typedFreeText(ctx, line.note) ?? line.note)?.replaceAll('；', ';')
  const notes = [place && `地点：${place}`, typed].filter(Boolean).join('，')
  if (notes) values.notes = notes
  const cash = cashRefusal(line, values)
  if (cash) throw new UserFacingError(cash)
  return { values, ...(lead && { lead }), townshipWide }
}

/**
 * Whether an answer of several words (`武警中队 今天`, `李一 300人`) holds a field of a record
 * line (a date, an occasion, an amount, goods, a count, a note): a line, not a unit's name. A
 * name run together is not split (`八一消防站` is a unit, not 八一 and 消防站).
 */
function readsMoreThanWords(answer: string, services: RecordServices, ctx: FormContext): boolean {
  const line = parseRecordLine(answer, { now: ctx.now, timezone: services.timezone })
  return (
    line.dateRead !== undefined ||
    line.impossibleDate !== undefined ||
    line.occasion !== undefined ||
    line.amountFen !== undefined ||
    line.count !== undefined ||
    line.goods.length > 0 ||
    line.note !== undefined
  )
}

/**
 * How a unit's name given for a 慰问部队 (spaces removed) reads: a unit (a name with a unit
 * word: 武警中队, 消防救援站, 部队武警中队 → 武警中队), a name to confirm, or refused with why.
 * Refused are what a cadre sends meaning something else (a tester's `李一`, meant as a look-up,
 * was stored as a visit to a unit 李一): a date or an amount alone, a village, a record command
 * or a question, a roster person's name, a word of one character or with no Han character.
 * Any other name without a unit word (李庄, 某某医院 has one) is asked about once rather than
 * refused: units are also known by a place's name alone, and refusing would leave no way to
 * store one.
 */
async function readUnit(
  unit: string,
  villages: readonly string[],
  services: RecordServices,
  ctx: FormContext,
): Promise<{ refused: string } | { unitName?: string; unitAsked?: string }> {
  const rules = { now: ctx.now, timezone: services.timezone, direction: 'past' as const }
  if (readDate(unit, rules)) return { refused: `「${unit}」是日期，不是部队名称。` }
  if (parseAmountFen(unit) !== undefined) return { refused: `「${unit}」是金额，不是部队名称。` }
  // An occasion alone (春节, 八一) or any other field with no name left.
  if (parseRecordLine(unit, rules).words.length === 0) {
    return { refused: `「${unit}」不是部队名称。` }
  }
  if (isUnitWord(unit)) return { refused: `「${unit}」没说是哪支部队。` }
  if (matchVillage(unit, villages)) {
    return { refused: `「${unit}」是村（社区）名，不是部队名称。` }
  }
  if (RECORD_COMMAND_WORD.test(unit) || /[?？]$|吗$/.test(unit)) {
    return { refused: `「${unit}」不是部队名称。` }
  }
  // Only those the sender may see are named as people: a cadre learns nothing of other villages.
  const people = await services.people.findPeopleByName(unit)
  if (people.length > 0) {
    const seen = people.some((person) => mayTouch(ctx.actor, person.village))
    return { refused: seen ? `「${unit}」是对象姓名，不是部队名称。` : `「${unit}」不是部队名称。` }
  }
  const named = unitNameOf(unit)
  if (named !== undefined) return { unitName: named }
  if (!/\p{Script=Han}/u.test(unit) || unit.length < 2) {
    return { refused: `「${unit}」不是部队名称。` }
  }
  return { unitAsked: unit }
}

/**
 * An activity stores no cash or goods (docs/decisions.md, "Cash on an activity"): a 慰问金 or
 * 慰问品 in the line is refused with the 走访 line that stores it (a unit visit), never dropped.
 */
function cashRefusal(line: RecordLine, values: ActivityDraft): string | undefined {
  if (line.amountFen === undefined && line.goods.length === 0) return undefined
  const given = [
    line.amountFen !== undefined && `慰问金 ${formatYuan(line.amountFen)} 元`,
    line.goods.length > 0 && `物品 ${goodsList(line.goods)}`,
  ].filter(Boolean)
  const visitLine = [
    '走访',
    values.unitName ?? (values.activityKind === '慰问部队' ? '部队名称' : '张三'),
    values.date ?? '今天',
    ...(line.amountFen !== undefined ? [`慰问金${typedYuan(line.amountFen)}`] : []),
    ...line.goods.map(goodsItem),
  ].join(' ')
  return [
    `活动不记${given.join('、')}，未登记。`,
    `慰问金和物品请按走访登记：${visitLine}`,
    '活动本身请去掉金额和物品再发一次。',
  ].join('\n')
}

function siteKindOf(word: string): SiteKind | undefined {
  return SITE_KINDS.find((k) => k === word)
}
