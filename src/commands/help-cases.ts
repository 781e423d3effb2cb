import { CADRE_AND_UP, writeMetaOf, type Actor, type Command } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import type { Person, Visit } from '../records/schemas.js'
import { wrapAll } from '../replies/wrap-lines.js'
import { partsOf, type LocalDate } from '../time/local-date.js'
import { scopeOf } from './people-lookup.js'
import type { CommandServices } from './services.js'
import { peopleById } from './find-people.js'
import { localToday } from './tally-query.js'

/** Open cases listed in one reply; the rest are counted, so the reply fits a phone screen. */
const LIST_LIMIT = 20

/**
 * `07-28` for a date in the current year, `2025-07-28` otherwise: as the other lists write a
 * date, so a case's date reads as the same visit's date there.
 */
function listDate(date: LocalDate, today: LocalDate): string {
  return partsOf(date).year === partsOf(today).year ? date.slice(5) : date
}

/** `7月28日` for a date in the current year, `2025年7月28日` otherwise, inside a sentence. */
function dayLabel(date: LocalDate, today: LocalDate): string {
  const { year, month, day } = partsOf(date)
  return `${year === partsOf(today).year ? '' : `${year}年`}${month}月${day}日`
}

/** Whom a help case is about: `铁炉嘴村 张三`, or the unit visited. */
function subject(visit: Visit, people: ReadonlyMap<number, Person>): string {
  const person = visit.personId === undefined ? undefined : people.get(visit.personId)
  if (person) return `${visit.village} ${person.name}`
  return visit.unitName ?? visit.village
}

/**
 * 待办 (帮扶事项): the needs found on visits that are not yet resolved, in the asker's
 * villages, oldest first, with how to close one. The domain's help cases (帮扶).
 */
export function createOpenHelpCasesCommand(services: CommandServices): Command {
  return {
    name: '待办',
    aliases: ['帮扶事项', '待办帮扶'],
    audience: CADRE_AND_UP,
    summary: '列出走访中发现、尚未办结的困难需求（帮扶）',
    example: '待办',
    async run({ actor, now, message }) {
      // Families' needs are theirs: listed in a private chat, never to a whole group.
      if (message.chat.isGroup) {
        return { text: '待办涉及群众的困难和隐私，\n请私聊我回复「待办」查看。' }
      }
      const today = localToday(now, services.timezone)
      const open = await services.visits.openHelpCases(scopeOf(actor))
      if (open.length === 0) {
        return {
          text: [
            '没有待办的帮扶事项。',
            '走访时在「备注」后写下困难即记为待办，',
            '如「走访 张三 今天 备注 危房需修缮」。',
          ].join('\n'),
        }
      }
      const shown = open.slice(0, LIST_LIMIT)
      const people = await peopleById(
        services,
        shown.map((v) => v.personId),
      )
      // A need is written in the cadre's own words, of any length: broken to a phone's width.
      const lines = wrapAll(
        shown.map(
          (v, i) =>
            `${i + 1}. #${v.id} ${listDate(v.date, today)} ${subject(v, people)}：${v.needs}${v.followUp ? `（跟进：${v.followUp}）` : ''}`,
        ),
      )
      const more =
        open.length > shown.length
          ? [`另有 ${open.length - shown.length} 件，见「导出 台账」。`]
          : []
      return {
        text: [
          `待办帮扶 ${open.length} 件：`,
          ...lines,
          ...more,
          `办好后回复「办结 #${shown[0]!.id} 已解决」，`,
          '可写明怎么解决的。',
        ].join('\n'),
      }
    },
  }
}

/** A cadre may close the cases of their villages and those they logged; leaders all. */
function assertMayResolve(actor: Actor, visit: Visit): void {
  const scope = scopeOf(actor)
  if (!scope || scope.includes(visit.village) || visit.createdBy === actor.key) return
  throw new UserFacingError(`#${visit.id} 在${visit.village}，不在您负责的村，不能办结。`)
}

/** 办结 #N 说明: closes the help case found on visit #N; the 说明 is kept as its follow-up. */
export function createResolveHelpCaseCommand(services: CommandServices): Command {
  return {
    name: '办结',
    aliases: ['已办结'],
    audience: CADRE_AND_UP,
    summary: '办结一件帮扶事项（走访时发现的困难需求）',
    example: '办结 #128 已协调危房改造资金',
    async run({ args, actor, now, message }) {
      const m = /^#?\s*(\d+)\s*[，,：:]?\s*(.*)$/s.exec(args.trim())
      if (!m) {
        throw new UserFacingError(
          '请写上记录号，如「办结 #128 已协调危房改造资金」。回复「待办」查看未办结的事项。',
        )
      }
      const id = Number(m[1])
      const note = m[2]!.trim()
      const record = await services.records.getRecord(id)
      if (record?.kind !== 'visit') {
        throw new UserFacingError(`没有找到走访记录 #${id}。回复「待办」查看未办结的事项。`)
      }
      if (record.status === 'withdrawn') throw new UserFacingError(`#${id} 已撤销，无需办结。`)
      if (!record.needs) throw new UserFacingError(`#${id} 没有记录困难需求，无需办结。`)
      assertMayResolve(actor, record)
      const today = localToday(now, services.timezone)
      if (record.resolvedAt) {
        return { text: `#${id} 已于 ${dayLabel(record.resolvedAt, today)} 办结，未作改动。` }
      }
      const { record: after } = await services.records.correct(
        id,
        { resolvedAt: today, ...(note ? { followUp: note.slice(0, 500) } : {}) },
        writeMetaOf({ actor, now, message }),
      )
      const visit = after as Visit
      return {
        text: `已办结 #${id}：${visit.needs}（${dayLabel(visit.date, today)}走访发现）${visit.followUp ? `。跟进：${visit.followUp}` : ''}。年报「帮扶」已计入。`,
      }
    },
  }
}
