import { CADRE_AND_UP, type Command } from '../bot/command.js'
import { daySpanOf } from '../bot/intents.js'
import { UserFacingError } from '../errors.js'
import type { Person } from '../records/schemas.js'
import { AUTHOR_INDEX_LENGTH } from '../records/record-writer.js'
import { addDays, localDateOf, weekdayOf } from '../time/local-date.js'
import { ownRecordsInSpanReply } from './question-days.js'
import { shortLine } from './record-lines.js'
import type { CommandServices } from './services.js'

/** Lines in one reply; older ones are counted, not listed. */
const SHOWN = 20

/**
 * 我的记录: what the asker logged today (`本周`: since Monday), newest first, from their own
 * capped index (keys.recordsBy, the one 撤销上一条 reads), so its cost is theirs, not the
 * township's. By when it was logged, not the date it is about.
 */
export function createMyRecordsCommand(services: CommandServices): Command {
  return {
    name: '我的记录',
    aliases: ['我登记的', '我今天登记了哪些', '我今天登记的'],
    audience: CADRE_AND_UP,
    summary: '看您今天（或本周）登记的记录',
    example: '我的记录 本周',
    async run({ args, actor, now }) {
      const span = args.trim()
      const week = /^(本周|这周|这个星期|本星期|一周)$/.test(span)
      const today = localDateOf(now, services.timezone)
      if (span && !week && !/^(今天|今日)$/.test(span)) {
        // 本月, 上周, 昨天, 最近一周: the run of days a question names, read the same way.
        const other = daySpanOf(span)
        if (!other) {
          throw new UserFacingError(
            '请写「我的记录」（今天的），或加上时间，如「我的记录 本周」「我的记录 本月」「我的记录 昨天」。',
          )
        }
        return ownRecordsInSpanReply(services, actor.key, other, today)
      }
      // Monday starts the week, as on China's calendars.
      const since = week ? addDays(today, -((weekdayOf(today) + 6) % 7)) : today
      const ids = await services.records.idsLoggedBy(actor.key)
      const records = (await services.records.getRecords([...ids].reverse())).filter(
        (r) =>
          r.createdBy === actor.key &&
          localDateOf(new Date(r.createdAt), services.timezone) >= since,
      )
      const when = week ? `本周（${since.slice(5)} 起）` : '今天'
      // The index keeps the newest AUTHOR_INDEX_LENGTH records: when all of them are in the
      // span, older ones of the span may have left it, so the count is a floor, said as such.
      const count =
        ids.length >= AUTHOR_INDEX_LENGTH && records.length === ids.length
          ? `至少 ${records.length} 条（只列最近 ${AUTHOR_INDEX_LENGTH} 条里的）`
          : ` ${records.length} 条`
      if (records.length === 0) {
        return { text: `您${when}还没有登记记录。` }
      }
      const personIds = records.flatMap((r) =>
        r.kind === 'visit' || r.kind === 'payment'
          ? r.personId === undefined
            ? []
            : [r.personId]
          : [],
      )
      const people = new Map(
        (await services.records.getRecords([...new Set(personIds)]))
          .filter((p): p is Person => p.kind === 'person')
          .map((p) => [p.id, p]),
      )
      const lines = records.slice(0, SHOWN).map((r) => shortLine(r, people))
      const more = records.length > SHOWN ? [`……另有 ${records.length - SHOWN} 条较早的。`] : []
      return {
        text: [`您${when}登记了${count}：`, ...lines, ...more, '回复「查看 #编号」看详情。'].join(
          '\n',
        ),
      }
    },
  }
}
