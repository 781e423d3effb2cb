import { ADMIN_ONLY, CADRE_AND_UP, writeMetaOf, type Command } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import type { ExportKind, ExportLinks } from '../exports/export-link.js'
import type { RosterChecks } from '../exports/roster-changes.js'
import { localDateOf } from '../time/local-date.js'
import { seasonYear } from '../occasions.js'
import { OCCASIONS } from '../records/schemas.js'
import { partsOf } from '../time/local-date.js'
import type { RecordServices } from './services.js'
import { scopeLabel } from './tally-format.js'
import { localToday, parseTallyQuery, villagesFor } from './tally-query.js'

const USAGE =
  '可以这样导出：「导出 台账 2026」「导出 台账 2027 春节」「导出 花名册」「导出 优待金 2026」，可加村名。'

const KIND_WORDS: [RegExp, ExportKind, string][] = [
  [/台账|走访台账|走访记录/, 'ledger', '走访台账'],
  [/花名册|名册|优抚对象/, 'roster', '花名册'],
  [/优待金|发放名单|发放表/, 'payments', '优待金发放表'],
]

export interface ExportCommandDeps {
  links: ExportLinks
  /** The annual roster check; unset = no 核对花名册. */
  checks?: RosterChecks
  /** TOWNSHIP_NAME, for the 年报's heading (the sheets get it from the exporter). */
  townshipName?: string | undefined
}

/**
 * 导出 (cadres their own villages, leaders and admins all): a short-lived signed link to an
 * xlsx of the visit ledger (a calendar year, or one campaign), the roster or the payment list. Phone and ID numbers are masked unless an admin asks in a private chat;
 * that choice is inside the signed link, so nobody can flip it.
 */
export function createExportCommand(services: RecordServices, deps: ExportCommandDeps): Command {
  return {
    name: '导出',
    aliases: ['下载'],
    audience: CADRE_AND_UP,
    summary: '导出走访台账、花名册、优待金发放表（xlsx 下载链接，15 分钟有效）',
    example: '导出 台账 2026',
    async run({ args, actor, message, now }) {
      // A link opens for whoever holds it: in a group, every member would get the families'
      // names, needs and (masked) numbers. Like 待办, the files are for a private chat.
      if (message.chat.isGroup) {
        throw new UserFacingError(
          `导出的表格含群众的姓名、困难等个人信息，请私聊我发送「${`导出 ${args}`.trim()}」。`,
        )
      }
      const found = KIND_WORDS.map(([pattern, kind, label]) => ({
        m: pattern.exec(args),
        kind,
        label,
      }))
        .filter((f) => f.m)
        .sort((a, b) => a.m!.index - b.m!.index)[0]
      if (!found) throw new UserFacingError(`要导出什么？${USAGE}`)
      const rest =
        args.slice(0, found.m!.index) + ' ' + args.slice(found.m!.index + found.m![0].length)
      const known = await services.villages.listVillages()
      const today = localToday(now, services.timezone)
      const query = parseTallyQuery(
        rest.replace(/\bxlsx\b|excel|表格/gi, ' '),
        known,
        actor,
        USAGE,
        today,
      )
      if (query.topic !== 'campaign') throw new UserFacingError(USAGE)
      if (query.occasion && found.kind !== 'ledger') {
        const why = found.kind === 'roster' ? '是当前名单' : '按年份导出'
        throw new UserFacingError(`${found.label}${why}，不分活动。${USAGE}`)
      }
      const occasion = query.occasion
      // An occasion without a year is its instance nearest today (the season rule), as in 统计.
      const year =
        found.kind === 'roster'
          ? undefined
          : (query.year ?? (occasion ? seasonYear(occasion, today) : partsOf(today).year))
      const villages = villagesFor(query, actor)
      const reveal = actor.role === 'admin'

      const { tallies } = services
      let size: string
      if (found.kind === 'ledger') {
        const campaigns = await Promise.all(
          (occasion ? [occasion] : OCCASIONS).map((o) =>
            tallies.readCampaignTally(year!, o, villages),
          ),
        )
        size = `${occasion ? '' : '各活动'}走访 ${campaigns.reduce((n, c) => n + c.total.visits, 0)} 次`
      } else if (found.kind === 'roster') {
        size = `${(await tallies.readRosterCounts(villages)).total} 人`
      } else {
        size = `发放 ${(await tallies.readAllowanceTally(year!, villages)).total.payments} 笔`
      }
      const link = deps.links.create(
        {
          kind: found.kind,
          ...(year !== undefined && { year }),
          ...(occasion && { occasion }),
          ...(villages && { villages }),
          reveal,
          by: actor.key,
          ...(message.sender.name && { byName: message.sender.name.slice(0, 60) }),
        },
        now,
      )
      const privacy =
        found.kind === 'ledger'
          ? []
          : reveal
            ? ['含完整身份证号和电话，请妥善保管，勿转发。']
            : ['身份证号、电话已打码；管理员私聊发送同一命令可得完整号码。']
      const title = `${year !== undefined ? `${year} 年` : ''}${occasion ?? ''}${found.label}（${scopeLabel(villages)}，${size}）`
      const minutes = Math.round((link.expiresAt.getTime() - now.getTime()) / 60_000)
      return {
        text: [`${title}下载链接，${minutes} 分钟内有效：`, link.url, ...privacy].join('\n'),
      }
    },
  }
}

/**
 * 核对花名册 (admin): closes the annual roster check. The 花名册 export's 变动情况 sheet then
 * counts from here; the reply says what the closed period held.
 */
export function createRosterCheckCommand(checks: RosterChecks, timezone: string): Command {
  return {
    name: '核对花名册',
    aliases: ['花名册核对'],
    audience: ADMIN_ONLY,
    summary: '年度核对花名册：记下核对日期，之后「导出 花名册」列出此后的变动',
    example: '核对花名册',
    async run({ args, actor, message, now }) {
      if (args.trim() !== '')
        throw new UserFacingError('直接发送「核对花名册」即可，不用加别的字。')
      const { since, changes } = await checks.changesSinceLastCheck()
      await checks.close(writeMetaOf({ actor, now, message }))
      const count = (kind: string) => changes.filter((c) => c.change === kind).length
      const from = since ? `自上次核对（${localDateOf(since, timezone)}）以来` : '首次核对'
      return {
        text: [
          `花名册核对已记下（${localDateOf(now, timezone)}）。`,
          `${from}：新增 ${count('新增')} 人，移出 ${count('移出')} 人，变更 ${count('变更')} 人次。`,
          '此后的变动见「导出 花名册」的“变动情况”表。',
        ].join('\n'),
      }
    },
  }
}
