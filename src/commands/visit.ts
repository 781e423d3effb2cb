import { z } from 'zod'
import { actorName, CADRE_AND_UP, type Command, type CommandContext } from '../bot/command.js'
import { ConfirmationNeeded, type FormContext, type FormSpec } from '../bot/forms.js'
import { heldAmountUnreadLine, type FormSummary } from '../bot/form-notes.js'
import { UserFacingError } from '../errors.js'
import { findAmount, formatYuan, parseAmountFen, typedYuan } from '../parse/amount.js'
import {
  isNeedNote,
  looksLikeRecordLine,
  parseRecordLine,
  type RecordLine,
} from '../parse/record-line.js'
import {
  campaignOfDate,
  CAMPAIGN_OCCASIONS,
  isCampaignOccasion,
  OCCASION_CHOICES,
  occasionOfAnswer,
  seasonYear,
} from '../occasions.js'
import { DuplicateRecordError } from '../records/duplicate-error.js'
import { fenSchema, goodsSchema, OCCASIONS, type Person, type Visit } from '../records/schemas.js'
import { campaignWindow } from '../reminders/calendar.js'
import { campaignEndedAt } from '../records/due-set.js'
import type { VillageProgress } from '../records/tally-reader.js'
import { filedUnderOtherYear, labelThenName, visitKindLabel } from './record-lines.js'
import { wrapToWidth } from '../replies/wrap-lines.js'
import {
  candidateList,
  chooseCandidate,
  declinesChoice,
  describeCategory,
  applyLookup,
  lookUpPerson,
  namedLineOf,
  passSnapshot,
  passedSnapshot,
  prefetchNamedLine,
  scopeOf,
  typedArgsOf,
  typedFreeText,
  type RecordText,
} from './people-lookup.js'
import {
  lineItems,
  namedOrList,
  nameListItems,
  recordTextsOf,
  storeBatch,
  type BatchItem,
  type BatchKind,
} from './batch-records.js'
import { chooseCampaign, localToday } from './tally-query.js'
import {
  acceptFarBack,
  checkLineDate,
  farBackQuestion,
  looksLikeDateAnswer,
  namesRecentDay,
  readDoneAnswer,
} from './done-date.js'
import { visitWordFirst } from './occasion-first.js'
import { checkedDateFields, duplicateConfirmed, lookupFields } from './draft-fields.js'
import type { CommandServices, RecordServices } from './services.js'
import { visitorsOf } from '../user-names.js'
import { goodsList } from '../replies/goods-list.js'
import { VISITORS_MAX, VISITOR_NAME_MAX, visitorsOfVisit, visitorsWritten } from './visitors.js'

/** Above this, a visit's cash is confirmed before it is stored: 慰问金 are hundreds of 元. */
export const VISIT_CASH_CONFIRM_ABOVE_FEN = 10_000_00

// `没有慰问金`, `没给钱`, `不发`: a cadre answering 「慰问金多少？」 in a sentence says none too.
const NONE =
  /^(?:无|没有|没|0|〇|零|不用|—|-|(?:没有|没|无|不用|未|不)(?:给|发|送|带)?(?:慰问金|钱|现金|红包)?(?:了)?)$/

/** A yes to the occasion the bot just stated, sent where the cash was asked. */
const AGREEING = /^(?:是|是的|对|对的|确认|确定|好|好的|嗯|没错)[。.!！~～]*$/

/** Fills the occasion from a date inside a campaign window, and says so. */
function inferOccasion(values: VisitDraft): string | undefined {
  if (values.occasion !== undefined || values.date === undefined) return undefined
  const campaign = campaignOfDate(values.date)
  if (!campaign) return undefined
  values.occasion = campaign.occasion
  return `${values.date} 在${campaign.occasion}走访期间，按${campaign.occasion}走访登记。`
}

/** What the visit form's pending `field` asks for, as the line about an open form names it. */
function visitMissing(field: string, values: VisitDraft): Pick<FormSummary, 'missing' | 'answer'> {
  switch (field) {
    case 'person':
      return { missing: '姓名' }
    case 'choose':
      return { missing: `选哪位${String(values.candidateName)}`, answer: '序号' }
    case 'date':
      return { missing: '日期' }
    case 'dateYear':
      return { missing: '确认日期', answer: '「确认」或正确日期' }
    case 'occasion':
      return { missing: '走访类别', answer: '类别（如「日常」）' }
    case 'cash':
      return { missing: '慰问金', answer: '金额（没有回复「无」）' }
    case 'confirm':
      return { missing: '确认慰问金', answer: '「确认」或正确金额' }
    default:
      return { missing: '您的确认', answer: '「确认」' }
  }
}

/** A visit being filled in, between turns (forms.ts): every value the visit form may hold. */
const visitDraftSchema = z
  .object(
    Object.assign({}, lookupFields, checkedDateFields, {
      occasion: z.enum(OCCASIONS).optional(),
      cashFen: fenSchema.optional(),
      goods: z.array(goodsSchema).max(20).optional(),
      needs: z.string().max(500).optional(),
      /** What is to be done about the need, written after it as 跟进 (`需求 看病贵 跟进 联系民政办`). */
      followUp: z.string().max(500).optional(),
      /** A note that is no need (`备注 身体健康，无特殊需求`): kept, no 帮扶 case opened. */
      notes: z.string().max(500).optional(),
      /** Who went along, named after 走访人 or 陪同; the sender is stored before them. */
      visitors: z.array(z.string().min(1).max(VISITOR_NAME_MAX)).max(VISITORS_MAX).optional(),
      /** Started as a conversation: ask about the cash at the end too. */
      askCash: z.boolean().optional(),
      /** 「确认」 to cash above VISIT_CASH_CONFIRM_ABOVE_FEN. */
      confirmed: z.boolean().optional(),
      duplicateConfirmed,
    }),
  )
  .strict()
export type VisitDraft = z.infer<typeof visitDraftSchema>

/** The multi-turn visit form: person → date → occasion (unless inferred) → cash → confirm. */
export function createVisitForm(services: RecordServices): FormSpec<VisitDraft> {
  const dateOptions = (ctx: FormContext) => ({
    now: ctx.now,
    timezone: services.timezone,
    direction: 'past' as const,
  })
  const doneRules = (ctx: FormContext) => ({
    now: ctx.now,
    timezone: services.timezone,
    what: '走访',
  })

  const form: FormSpec<VisitDraft> = {
    kind: 'visit',
    draft: visitDraftSchema,
    version: 1,
    async nextQuestion(values, ctx) {
      if (values.personId === undefined && values.unitName === undefined) {
        if (values.candidates) {
          const candidates = await services.records.getRecords(values.candidates)
          return {
            field: 'choose',
            prompt: candidateList(String(values.candidateName), candidates as Person[]),
          }
        }
        return {
          field: 'person',
          prompt:
            '走访谁？请回复姓名（可加村名），如「张三」或「铁炉嘴村 张三」。回复「取消」退出。',
        }
      }
      if (values.date === undefined)
        return { field: 'date', prompt: '走访日期？如「今天」「7月30日」。' }
      const farBack = farBackQuestion(values, doneRules(ctx))
      if (farBack) return farBack
      if (values.occasion === undefined) {
        return {
          field: 'occasion',
          prompt: `这次是哪类走访？请回复 ${OCCASION_CHOICES}。`,
        }
      }
      // One rule for both starts (docs/forms.md "The visit form's cash question"): a visit the
      // form had to ask for (a person, a date or an occasion answered in a later turn) asks
      // 慰问金 once before it is stored, as the bare 走访 does, unless the line said what was
      // given (cash or goods); a line with all of them stores at once, its reply saying
      // 未记慰问金和物品. accept sets askCash on those answers.
      if (values.askCash === true && values.cashFen === undefined && values.goods === undefined) {
        return { field: 'cash', prompt: '慰问金多少？没有请回复「无」。' }
      }
      const cash = values.cashFen ?? 0
      if (cash > VISIT_CASH_CONFIRM_ABOVE_FEN && values.confirmed !== true) {
        return {
          field: 'confirm',
          prompt: `慰问金 ${formatYuan(cash)} 元 超过 ${formatYuan(VISIT_CASH_CONFIRM_ABOVE_FEN)} 元，未登记。如确有此事请回复「确认」；金额有误请回复正确金额，如「500元」。`,
        }
      }
      return undefined
    },

    async accept(field, answer, values, ctx) {
      const next: VisitDraft = Object.assign({}, values)
      switch (field) {
        case 'person': {
          next.askCash = true
          const line = parseRecordLine(answer, dateOptions(ctx))
          // A whole line as the answer (`李三 昨天 日常`) gives its date, occasion, cash and
          // notes too, rather than being asked for them again.
          Object.assign(next, visitDraftOf(line, ctx, services))
          applyLookup(
            next,
            await lookUpPerson(line.words, ctx.actor, services, { allowUnit: true }),
          )
          return { values: next }
        }
        case 'choose': {
          const candidates = (await services.records.getRecords(
            values.candidates ?? [],
          )) as Person[]
          const person = chooseCandidate(answer, candidates, await services.villages.listVillages())
          delete next.candidates
          next.personId = person.id
          return { values: next }
        }
        case 'date': {
          // `八一` answering 「走访日期？」 before any occasion was given, long after August 1,
          // names the visit's kind (a December tester's visit was dated four months back):
          // taken as the occasion, and the date asked again. Within two weeks of the day it is
          // the date, and the campaign it falls in is inferred, as before.
          const occasion = values.occasion === undefined ? occasionOfAnswer(answer) : undefined
          if (occasion !== undefined && !namesRecentDay(answer, doneRules(ctx))) {
            next.occasion = occasion
            return { values: next, say: `好的，按${occasion}走访登记。\n` }
          }
          Object.assign(next, readDoneAnswer(answer, doneRules(ctx)))
          next.askCash = true
          const say = inferOccasion(next)
          if (say === undefined) return { values: next }
          return { values: next, say: await leadBefore(form, next, ctx, say) }
        }
        case 'dateYear':
          return { values: acceptFarBack(answer, next, doneRules(ctx)) }
        case 'occasion': {
          const occasion = occasionOfAnswer(answer)
          if (!occasion) throw new UserFacingError(`请回复 ${OCCASION_CHOICES} 之一。`)
          next.occasion = occasion
          next.askCash = true
          return { values: next }
        }
        case 'cash': {
          // The occasion the bot just stated (八一), or 是/对, answers it, not the cash: taken
          // as agreement, and the cash asked again; another occasion named is a correction.
          const occasion = AGREEING.test(answer) ? values.occasion : occasionOfAnswer(answer)
          if (occasion !== undefined && parseAmountFen(answer) === undefined) {
            next.occasion = occasion
            const verb = occasion === values.occasion ? '按' : '改按'
            return { values: next, say: `好的，${verb}${occasion}走访登记。\n` }
          }
          if (NONE.test(answer)) return { values: Object.assign(next, { cashFen: 0 }) }
          const whole = parseAmountFen(answer)
          if (whole !== undefined) return { values: Object.assign(next, { cashFen: whole }) }
          // `300元 米1袋`, `米一袋`: the goods given are kept with the cash (a tester's 米1袋 was
          // dropped without a word), as in a line; a word it does not read refuses the answer.
          const line = parseRecordLine(answer, dateOptions(ctx))
          if (line.words.length === 0 && (line.amountFen !== undefined || line.goods.length > 0)) {
            next.cashFen = line.amountFen ?? 0
            if (line.goods.length > 0) next.goods = line.goods
            return { values: next }
          }
          const fen = line.words.length === 0 ? findAmount(answer)?.fen : undefined
          if (fen === undefined)
            throw new UserFacingError(
              `没看懂「${answer}」，请回复金额如「500」「五百元」，有物品一起写如「300元 米1袋」，没有请回复「无」。`,
            )
          next.cashFen = fen
          return { values: next }
        }
        case 'confirm': {
          if (answer === '确认') return { values: Object.assign({}, next, { confirmed: true }) }
          const fen = parseAmountFen(answer)
          if (fen === undefined && looksLikeRecordLine(answer, dateOptions(ctx))) {
            // A new record (often a command word mistyped, 走仿) is not read as this answer, and
            // the user is told it was not read, rather than asked the amount as if it were one.
            throw new UserFacingError(
              heldAmountUnreadLine('慰问金', formatYuan(values.cashFen ?? 0)),
            )
          }
          if (fen === undefined)
            throw new UserFacingError('请回复「确认」，或正确金额如「500元」。')
          return { values: Object.assign({}, next, { cashFen: fen }) }
        }
        default:
          throw new Error(`visit form has no field ${field}`)
      }
    },

    async describe(values, field) {
      const person =
        values.personId === undefined ? undefined : await services.people.getPerson(values.personId)
      const filled = [
        person?.name ?? values.unitName,
        values.date,
        values.occasion,
        values.cashFen === undefined ? undefined : `慰问金 ${formatYuan(values.cashFen)} 元`,
      ].filter((part): part is string => part !== undefined)
      return { title: '走访登记', filled, ...visitMissing(field, values) }
    },

    async complete(values, idempotencyKey, ctx) {
      const { occasion, date } = values
      // nextQuestion asks until both are there.
      if (occasion === undefined || date === undefined) throw new Error('visit draft incomplete')
      const campaignYear = seasonYear(occasion, date)
      const {
        record: visit,
        created,
        person,
        openProgress,
      } = await holdingDuplicates(services, () =>
        services.visits.addVisit(
          {
            date,
            occasion,
            campaignYear,
            ...(values.personId === undefined
              ? { unitName: values.unitName }
              : { personId: values.personId }),
            // Who went, as people read it (the binding's name, else the platform's, else the
            // account's id); the account is kept in createdBy and the audit.
            visitors: visitorsOfVisit(actorName(ctx), values.visitors),
            cashFen: values.cashFen ?? 0,
            goods: values.goods ?? [],
            ...(values.needs ? { needs: values.needs } : {}),
            ...(values.followUp ? { followUp: values.followUp } : {}),
            ...(values.notes ? { notes: values.notes } : {}),
          },
          { actor: ctx.actor.key, at: ctx.now, idempotencyKey },
          {
            villages: scopeOf(ctx.actor),
            allowDuplicate: values.duplicateConfirmed === true,
            snapshot: passedSnapshot(ctx),
          },
        ),
      )
      // A redelivery answered from the first write has no fresh read of the person.
      const named =
        person ??
        (visit.personId === undefined ? undefined : await services.people.getPerson(visit.personId))
      return {
        text: await describeStoredVisit(services, {
          visit,
          person: named,
          created,
          now: ctx.now,
          inGroup: ctx.message.chat.isGroup,
          openProgress,
        }),
      }
    },

    // 慰问金300元 answers 慰问金多少？ (or is a stray answer: field ''), though 慰问 (an alias
    // of 走访) begins it; `11月30号走访的` answers 走访日期？, though it reads as a question.
    declines: declinesChoice,

    claimsAnswer(field, answer) {
      if (field === 'date' && looksLikeDateAnswer(answer)) return true
      return (field === 'cash' || field === '') && /^慰问[金品]/.test(answer)
    },

    strayAnswer(values, stored) {
      if ((values.cashFen ?? 0) > 0) return undefined
      const id = STORED_ID.exec(stored[0]?.text ?? '')?.[1]
      if (id === undefined) return undefined
      return {
        words: STRAY_NONE,
        reply: `这条走访已登记（#${id}），未记慰问金。`,
        recordId: Number(id),
      }
    },

    // An amount or goods sent after it is no new record: said how to add it to that visit.
    async answerStray(answer, stray, ctx) {
      if (stray.recordId === undefined) return undefined
      const whole = parseAmountFen(answer)
      const line = whole === undefined ? parseRecordLine(answer, dateOptions(ctx)) : undefined
      if (line && (line.words.length > 0 || (line.amountFen === undefined && !line.goods.length)))
        return undefined
      const id = stray.recordId
      const stored = await services.records.getRecord(id)
      const before = stored?.kind === 'visit' ? stored.goods : []
      const fen = whole ?? line?.amountFen
      const lines = [
        `走访 #${id} 已登记，未记慰问金${before.length ? '' : '和物品'}。`,
        '补记请发：',
      ]
      if (fen !== undefined) lines.push(`「修改 #${id} 金额 ${typedYuan(fen)}」`)
      // 修改 物品 replaces the goods: those stored already are written in it too.
      if (line?.goods.length)
        lines.push(`「修改 #${id} 物品 ${goodsList([...before, ...line.goods])}」`)
      return lines.join('\n')
    },
  }
  return form
}

/**
 * What is left of `慰问金300元`, `慰问金五百元`, `慰问品 米1袋` after the command word 慰问. A
 * numeral in characters only before 元/块: 慰问金一 今天 visits a person 金一.
 */
const CASH_ALONE =
  /^(?:金\s*[:：]?\s*(?:[\d¥]|[零〇一二两三四五六七八九十百千万]+\s*[元块])|品\s*[:：]?\s*[^\s\d]{1,6}[\d一二两三四五六七八九十])/
const CASH_ALONE_HINT = [
  '只写了慰问金或物品，没写走访谁，未登记。',
  '登记请写「走访 张三 今天 慰问金300元」，',
  '补记请发「修改 #记录号 金额 300元」。',
].join('\n')

/** The id in a stored visit's first line (describeStoredVisit): 已登记 #17 or 此前已登记 #17. */
const STORED_ID = /已登记 #(\d+)：/

/** `无` sent after a visit stored without cash: the answer to a cash question never asked. */
const STRAY_NONE = ['无', '没有', '没', '没有慰问金', '无慰问金', '没给钱', '没给']

/**
 * The implied-occasion line before what follows it: glued to a question (conversations.md
 * shows it so), on a line of its own above a stored visit's 已登记 line or a hold.
 */
async function leadBefore(
  form: FormSpec<VisitDraft>,
  values: VisitDraft,
  ctx: FormContext,
  lead: string,
): Promise<string> {
  const question = await form.nextQuestion(values, ctx)
  return question ? lead : `${lead}\n`
}

/** Runs `write`; a same-day repeat is held for 「确认」 with the earlier visit shown. */
async function holdingDuplicates<T>(services: RecordServices, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (err) {
    if (!(err instanceof DuplicateRecordError) || err.earlier.kind !== 'visit') throw err
    const earlier = err.earlier
    const [person, visitors] = await Promise.all([
      earlier.personId === undefined ? undefined : services.people.getPerson(earlier.personId),
      visitorsOf(services.roles, earlier),
    ])
    throw new ConfirmationNeeded(
      [
        `${person?.name ?? earlier.unitName ?? ''} ${earlier.date} 已登记过${earlier.occasion}走访（#${earlier.id}，${visitors.join('、')}，${earlier.cashFen > 0 ? `慰问金 ${formatYuan(earlier.cashFen)} 元` : '未记慰问金'}），这次未登记。`,
        '确是又一次走访请回复「确认」，否则不用回复。',
      ].join('\n'),
      'duplicateConfirmed',
    )
  }
}

async function describeStoredVisit(
  services: RecordServices,
  stored: {
    visit: Visit
    person?: Person
    created: boolean
    now: Date
    /** In a group a family's need and notes are recorded but not echoed to everyone there. */
    inGroup: boolean
    /** The progress the write script read back, right while the campaign is open. */
    openProgress?: VillageProgress
  },
): Promise<string> {
  const { visit, person, created } = stored
  const who = person
    ? `${visit.village} ${person.name}（${describeCategory(person)}）`
    : `${visit.unitName}`
  const otherYear = filedUnderOtherYear(visit)
  const goods = goodsList(visit.goods)
  const details = [
    // 「慰问金 0 元」 read as if 0 had been typed: no cash is said as such.
    ...(visit.cashFen > 0
      ? [`慰问金 ${formatYuan(visit.cashFen)} 元`]
      : goods
        ? []
        : ['未记慰问金和物品']),
    ...(goods ? [`物品 ${goods}`] : []),
    ...(visit.needs
      ? [
          stored.inGroup
            ? '发现需求 1 项，已记为待办（私聊回复「待办」查看）'
            : `需求：${visit.needs}（已记为待办${visit.followUp ? `，跟进：${visit.followUp}` : ''}）`,
        ]
      : []),
    ...(visit.notes ? [stored.inGroup ? '有备注（私聊查看）' : `备注：${visit.notes}`] : []),
  ]
  const lines = [
    `${created ? '已登记' : '此前已登记'} #${visit.id}：${visit.date} ${labelThenName(visitKindLabel(visit), who)}`,
    details.join('；'),
  ]
  // The sender is the first visitor (visitorsOfVisit); the others went along.
  const along = visit.visitors.slice(1)
  if (along.length > 0) lines.push(...wrapToWidth(`陪同：${along.join('、')}`))
  // A visit dated after its campaign's day still counts toward it (a late entry), but the
  // cadre is told, so a wrong occasion or date is caught while it is fresh.
  if (isCampaignOccasion(visit.occasion)) {
    const { end } = campaignWindow(visit.occasion, visit.campaignYear)
    if (visit.date > end) {
      lines.push(`${visit.campaignYear} ${visit.occasion}（${end.slice(5)}）已过，按补登记计入。`)
    }
  }
  if (person && CAMPAIGN_OCCASIONS.has(visit.occasion)) {
    // Counted as 统计 counts it (the campaign's due set), so the two always agree (issue 11):
    // as the write script read it back while the campaign is open, else against the set
    // frozen at its end (one more round trip, for a late entry).
    const asOf = { today: localToday(stored.now, services.timezone), timezone: services.timezone }
    const ended = campaignEndedAt(visit.campaignYear, visit.occasion, asOf) !== undefined
    const progress =
      stored.openProgress && !ended
        ? stored.openProgress
        : await services.tallies.readVillageProgress(
            visit.campaignYear,
            visit.occasion as '八一' | '春节' | '元旦',
            visit.village,
            asOf,
          )
    // The year is said when it is not the season a plain 统计 means today: a 2026 八一 visit
    // back-filled in July 2027 is not 2027's progress (a tester read it so).
    const notTodays =
      otherYear ||
      visit.campaignYear !== chooseCampaign({ occasion: visit.occasion }, asOf.today).year
    lines.push(
      `${visit.village}${notTodays ? ` ${visit.campaignYear} ` : ''}${visit.occasion}走访进度 ${progress.households}/${progress.entitled} 户。撤销请回复「撤销 #${visit.id}」`,
    )
  } else {
    lines.push(`撤销请回复「撤销 #${visit.id}」`)
  }
  return lines.join('\n')
}

/**
 * A visit line's own fields (everything but whom it names), checked as one line is. Its 备注 is
 * read (need or notes) as folded and stored as typed: from `record` when the line is one of
 * several records or over several lines, else from the message (typedFreeText).
 */
function visitDraftOf(
  line: RecordLine,
  ctx: FormContext,
  services: RecordServices,
  record?: RecordText,
): VisitDraft {
  const values: VisitDraft = {
    ...checkLineDate(line, { now: ctx.now, timezone: services.timezone, what: '走访' }),
  }
  if (line.occasion) values.occasion = line.occasion
  if (line.amountFen !== undefined) values.cashFen = line.amountFen
  if (line.goods.length > 0) values.goods = line.goods
  // Who went along is the record's visitors, not part of its 备注 or of a need's 待办.
  const note = line.visitors === undefined ? line.note : line.noteWithoutVisitors
  if (note) {
    const field = isNeedNote(note, line.noteLabel) ? 'needs' : 'notes'
    const text = typedFreeText(ctx, note, record) ?? note
    // `需求 看病贵 跟进 下周联系民政办`: the need, then what is to be done (a tester: one need).
    const split = field === 'needs' ? FOLLOW_UP.exec(text) : null
    if (split && split.index > 0 && split[1]!.trim() !== '') {
      values.needs = text.slice(0, split.index).trim()
      values.followUp = split[1]!.trim()
    } else values[field] = text
  }
  if (line.visitors) {
    const along = visitorsWritten(line.visitors, actorName(ctx))
    if (along.length > 0) values.visitors = along
  }
  return values
}

/** 跟进 after a need, as a word of its own (after a space or a mark), and what follows it. */
const FOLLOW_UP = /[\s,，;；。]+跟进\s*[:：]?\s*(.*)$/s

const LIST_SEPARATOR = /[、，,]/

/** How 走访 carries several people in one message (batch-records.ts). */
function visitBatch(services: RecordServices, form: FormSpec<VisitDraft>): BatchKind<VisitDraft> {
  const example = '如「走访 杨英明、高长福 今天 日常」'
  return {
    spec: form,
    what: '走访',
    word: /^(?:登记走访|走访|慰问|看望|探望)/,
    others: /^(?:发放优待金|优待金发放|发优待金|活动|添加对象)/,
    example,
    moneyHint: '钱数写「慰问金300元」，物品写「米1袋」。',
    allowUnit: true,
    draftOf: (line, ctx, text, record) =>
      withOccasion(visitDraftOf(line, ctx, services, record ?? { text })),
    sharedProblem: (base) =>
      base.needs
        ? '几位一起登记时不能写需求：需求请逐户登记，如「走访 张三 今天 日常 需求 …」。'
        : base.date === undefined || base.occasion === undefined
          ? `几位一起登记时请写上日期和类别，${example}。`
          : undefined,
  }
}

/**
 * 走访 (慰问, 登记走访, 看望, 探望): one line, or the missing fields asked one at a time; several
 * people (a list of names, or one visit per line) are stored as one record each
 * (docs/lookups.md).
 */
export function createVisitCommand(services: CommandServices): Command {
  const batch = visitBatch(services, createVisitForm(services))
  const many = (items: BatchItem<VisitDraft>[], ctx: CommandContext) =>
    storeBatch(batch.spec, items, ctx as FormContext, batch.what, services.forms())
  return {
    name: '走访',
    aliases: ['慰问', '登记走访', '看望', '探望'],
    audience: CADRE_AND_UP,
    summary: '登记一次走访慰问，缺的内容会逐项询问',
    example: '走访 张三 7月28日 八一 慰问金500元 米一袋 油一桶 备注 腿脚不便需修缮',
    wordFirst: visitWordFirst,
    prefetch: prefetchNamedLine(services),
    async run(ctx) {
      // `慰问金300元` sent alone is 慰问 (an alias) and `金300元`: an amount, never a person 「金」.
      if (CASH_ALONE.test(ctx.args)) throw new UserFacingError(CASH_ALONE_HINT)
      // The text as typed is mapped only for a text of several lines (the one-line path maps a
      // 备注 alone, and only when there is one).
      const several = ctx.args.includes('\n')
      const records = recordTextsOf(ctx.args, several ? typedArgsOf(ctx) : undefined)
      if (records.length > 1) {
        const lines = records.map((r) => r.text)
        const typed = records.map((r) => r.typed)
        return many(await lineItems(batch, lines, ctx, services, typed), ctx)
      }
      const { line, names } = namedLineOf(ctx, services)
      const values = visitDraftOf(line, ctx, services, several ? records[0] : undefined)
      if (line.words.length > 0) {
        const named = await namedOrList(batch, line, withOccasion(values), ctx, services, names)
        if ('items' in named) return many(named.items, ctx)
        const { lookup } = named
        // A list written with 、 whose joined names read as a unit (…连, …营) is still a list.
        if (lookup.kind === 'unit' && LIST_SEPARATOR.test(ctx.args)) {
          const items = await nameListItems(batch, line, withOccasion(values), ctx, services)
          if (items) return many(items, ctx)
        }
        applyLookup(values, lookup)
        passSnapshot(ctx, lookup)
      }
      const lead = inferOccasion(values)
      return services
        .forms()
        .start(
          'visit',
          values,
          ctx,
          lead === undefined ? undefined : await leadBefore(batch.spec, values, ctx, lead),
        )
    },
  }
}

/** `values` with the occasion a campaign date implies, for a batch (which says nothing of it). */
function withOccasion(values: VisitDraft): VisitDraft {
  const copy = Object.assign({}, values)
  inferOccasion(copy)
  return copy
}
