import { mayRun, type Actor, type Command, type CommandContext } from '../bot/command.js'
import { roleLabel } from '../bot/dispatch.js'
import { CANCEL_COMMAND } from '../bot/forms.js'
import { QUESTION_COMMAND, readQuestion } from '../bot/intents.js'
import { defaultCampaign, findOccasion } from '../occasions.js'
import type { Reply } from '../platforms/types.js'
import type { Role } from '../records/role-store.js'
import { addDays, partsOf, type LocalDate } from '../time/local-date.js'
import { localToday } from './tally-query.js'

/** The greeting command's word; the parser lets a question that starts with it be a question. */
export const GREETING_COMMAND = '你好'

/** What `帮助 <command>` adds for the commands one example does not explain. */
const MORE_HELP: Record<string, readonly string[]> = {
  修改: [
    // Broken at its 、 to a phone's width (the one line was 88 columns).
    '可改：金额、日期、场合、对象、物品、',
    '陪同、备注、需求、跟进、人数、',
    '活动名称、部队，一次改一项：',
    '修改 #128 日期 7月29日',
    '修改 #128 场合 春节',
    '修改 #128 对象 李四（同名请写「对象 #45」）',
    '修改 #128 物品 米2袋 油1桶（没有写「无」）',
    '修改 #130 名称 迎春晚会（活动的名称）',
    '修改 #131 部队 消防救援站（慰问的部队）',
    '修改 #128 陪同 王五、赵六（一起去的人）',
    '领导、管理员可补对象的户口、改电话：',
    '修改 #45 户口 农村',
    '改自己刚登记的：修改 上一条 金额 800元',
    '回复会写明改前 → 改后，统计随之更正。',
  ],
  撤销: [
    '几条一起：撤销 #128 #130，或 撤销 128、130（最多 20 条）',
    '撤销自己刚登记的：撤销上一条（再发一次撤销再前一条）',
    '可写明原因：撤销 #128 原因 重复登记',
    '撤销的记录不再计入统计，原记录保留在审计日志中。',
    '移出花名册的对象要写原因：撤销 #45 去世',
    '原因可写 去世、迁出、退役，或 其他 加说明。',
  ],
  导出: [
    '村干部导出自己负责的村，领导、管理员导出全镇；',
    '可加村名：导出 台账 2026 铁炉嘴村',
    '台账可按活动：导出 台账 春节',
  ],
  统计: [
    '也可以直接问：「各村走访进度」「今年优待金发了多少」「今年慰问金花了多少」「哪个村走访最差」「今天走访了谁」。',
    '统计 全年：全年各次走访合计',
    '统计 排名：各村完成率从低到高',
    '统计 今天：今天登记的走访',
    '年份可写 今年、去年、明年 或 2026。',
  ],
  发放优待金: [
    '补发差额：补发优待金 李四 300元 7月28日（不写金额按尚欠的差额）',
    '同一户当年再发一笔（不是补发）会先请您「确认」。',
    '补发超过尚欠的差额也会先请您「确认」。',
  ],
  未走访: ['也可以直接问：「还有谁没走访」「今天谁还没走访」「八一还有几户没走访」。'],
  未发放: ['也可以直接问：「哪些村还没发优待金」「优待金还有谁没发」。'],
}

/**
 * Words people look help up by that name no command (`帮助 进度`): the commands they mean, with
 * the arguments that make each example fit (`统计 优待金`). `{year}` is this year.
 */
const TOPICS: readonly (readonly [RegExp, readonly (readonly [string, string?])[]])[] = [
  [
    /优待金|优待|义务兵/,
    [
      ['发放优待金'],
      ['未发放', '未发放 {year}'],
      ['统计', '统计 优待金 {year}'],
      ['优待金标准'],
      ['优待金截止'],
      ['导出', '导出 优待金 {year}'],
    ],
  ],
  [/走访|慰问|看望|登记/, [['走访'], ['未走访'], ['统计'], ['修改'], ['撤销']]],
  [/活动|座谈|晚会|军训/, [['活动'], ['统计', '统计 活动']]],
  [/进度|情况|多少|统计|汇总|完成/, [['统计'], ['未走访'], ['未发放'], ['年报']]],
  [/名单|谁|哪些|没走访|没发/, [['未走访'], ['未发放'], ['对象']]],
  [/提醒|通知/, [['提醒'], ['我的提醒'], ['取消提醒'], ['提醒计划']]],
  [/对象|花名册|查人|名册/, [['对象'], ['花名册'], ['添加对象'], ['导出', '导出 花名册']]],
  [/报表|表格|下载|台账|年报|总结/, [['年报', '年报 {year}'], ['导出']]],
  [/权限|角色|干部|领导|管理员/, [['设置角色']]],
  [/帮扶|困难|需求/, [['待办'], ['办结']]],
  [/排名|排行|最差|落后/, [['统计', '统计 排名']]],
  [
    /全年|一共|总共|合计/,
    [
      ['统计', '统计 全年'],
      ['年报', '年报 {year}'],
    ],
  ],
  [
    /今天|今日/,
    [
      ['统计', '统计 今天'],
      ['我的记录', '我的记录'],
    ],
  ],
]

/** Commands that are not listed: 帮助 itself, 取消 (every form's first question tells it). */
const UNLISTED = new Set(['帮助', CANCEL_COMMAND, GREETING_COMMAND, QUESTION_COMMAND])

const ROLE_AUDIENCE = [
  ['cadre', '村干部及以上'],
  ['leader', '领导及以上'],
  ['admin', '管理员'],
] as const

/** `领导及以上`: the least role that may run `command`, as a reply names it. */
function neededRole(command: Command): string {
  const audience = command.audience
  if (audience === 'anyone') return ''
  return ROLE_AUDIENCE.find(([role]) => audience.includes(role))?.[1] ?? ''
}

/** 「年报」需要领导及以上权限。（换行）您当前是村干部，如需开通请联系管理员。 */
export function neededRoleText(command: Command, actor: Actor): string {
  const current = actor.role ? `您当前是${roleLabel(actor.role)}，` : ''
  return `「${command.name}」需要${neededRole(command)}权限。\n${current}如需开通请联系管理员。`
}

/** `优待金标准、优待金截止需要管理员权限；年报需要领导及以上权限。` */
function otherRolesLine(refused: readonly Command[]): string {
  const byRole = new Map<string, string[]>()
  for (const c of refused) byRole.set(neededRole(c), [...(byRole.get(neededRole(c)) ?? []), c.name])
  return `${[...byRole].map(([role, names]) => `${names.join('、')}需要${role}权限`).join('；')}。`
}

function notRegistered(actor: Actor): Reply {
  return { text: `您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：${actor.key}` }
}

/**
 * An example as it reads today, whatever day it was written on: its year is this year
 * (`未发放 2027` read in 2026 would send a cadre after next year's families); a day written
 * as `7月28日` becomes yesterday, so the example is never a future date (refused) nor one far
 * enough back that the bot asks which year; and with such a day, its occasion becomes the
 * campaign of the season (`八一` in December would file the example under a closed campaign).
 */
function asOfToday(text: string, today: LocalDate): string {
  const year = String(partsOf(today).year)
  const withYear = text.replace(/(?<!\d)20\d{2}(?!\d)/g, year).replace(/\{year\}/g, year)
  const yesterday = partsOf(addDays(today, -1))
  const dated = withYear.replace(
    /(?<!\d)\d{1,2}月\d{1,2}日/g,
    `${yesterday.month}月${yesterday.day}日`,
  )
  if (dated === withYear) return withYear
  return dated.replace(/八一|春节|元旦/g, defaultCampaign(today).occasion)
}

function findCommand(commands: readonly Command[], word: string): Command | undefined {
  const lower = word.toLowerCase()
  return commands.find(
    (c) => c.name === word || c.aliases?.some((alias) => alias.toLowerCase() === lower),
  )
}

interface HelpDeps {
  all: () => readonly Command[]
  /** BOT_TIMEZONE, for this year's examples. */
  timezone: string
}

/** The commands `actor` may run, in 帮助's order. */
function usableBy(deps: HelpDeps, actor: Actor): Command[] {
  return deps.all().filter((c) => !UNLISTED.has(c.name) && mayRun(c, actor.role))
}

/** `· 走访 张三 …` for each command the asker may run. */
function commandList(deps: HelpDeps, actor: Actor, today: LocalDate): string[] {
  return usableBy(deps, actor).map((c) => `· ${asOfToday(c.example, today)}`)
}

/** `帮助 走访`: the summary, an example and, for some, more. */
function explain(command: Command, today: LocalDate): Reply {
  return {
    text: [
      `「${command.name}」${command.summary}。`,
      `例：${asOfToday(command.example, today)}`,
      ...(MORE_HELP[command.name] ?? []).map((line) => asOfToday(line, today)),
    ].join('\n'),
  }
}

/**
 * `帮助 优待金`: the commands a word is about, by the topic tables and by their names, aliases
 * and summaries; those that need another role are named after the rest. Undefined: none.
 */
function explainTopic(
  deps: HelpDeps,
  ctx: CommandContext,
  word: string,
  today: LocalDate,
): Reply | undefined {
  const commands = deps.all().filter((c) => !UNLISTED.has(c.name))
  const picked = new Map<Command, string>()
  for (const [pattern, entries] of TOPICS) {
    if (!pattern.test(word)) continue
    for (const [name, example] of entries) {
      const command = commands.find((c) => c.name === name)
      if (command && !picked.has(command)) picked.set(command, example ?? command.example)
    }
  }
  const occasion = findOccasion(word)?.occasion
  if (occasion) {
    for (const [name, example] of [
      ['走访', `走访 张三 今天 ${occasion}`],
      ['统计', `统计 ${occasion}`],
      ['未走访', `未走访 ${occasion}`],
      ['提醒计划', undefined],
    ] as const) {
      const command = commands.find((c) => c.name === name)
      if (command && !picked.has(command)) picked.set(command, example ?? command.example)
    }
  }
  for (const command of commands) {
    if (picked.has(command)) continue
    const words = [command.name, ...(command.aliases ?? []), command.summary]
    if (words.some((w) => w.includes(word))) picked.set(command, command.example)
  }
  if (picked.size === 0) return undefined
  const allowed = [...picked].filter(([c]) => mayRun(c, ctx.actor.role))
  const refused = [...picked.keys()].filter((c) => !mayRun(c, ctx.actor.role))
  const lines = [`「${word}」相关的命令：`, ...allowed.map(([, ex]) => `· ${asOfToday(ex, today)}`)]
  if (refused.length > 0) lines.push(otherRolesLine(refused))
  if (allowed.length > 0) lines.push(`回复「帮助 ${allowed[0]![0].name}」查看说明。`)
  return { text: lines.join('\n') }
}

/**
 * 帮助: one example per command this user may run, short enough for WeCom's 2048-byte passive
 * reply; `帮助 走访` explains one command (or says which role it needs), `帮助 优待金` lists the
 * commands about a word. Built from the registry so it lists what exists; examples are dated
 * as of today (asOfToday).
 */
export function createHelpCommand(deps: HelpDeps): Command {
  return {
    name: '帮助',
    aliases: ['help', '菜单', '?', '使用说明'],
    wordFirst: howToAsHelp,
    audience: 'anyone',
    summary: '查看可用命令',
    example: '帮助',
    async run(ctx) {
      const { actor, args, now } = ctx
      if (!actor.role) return notRegistered(actor)
      const today = localToday(now, deps.timezone)
      const wanted = args.replace(/[?!。.,，\s]+$/g, '').trim()
      if (wanted) {
        const command = findCommand(
          deps.all().filter((c) => c.name !== QUESTION_COMMAND),
          wanted,
        )
        if (command && !mayRun(command, actor.role)) {
          return { text: neededRoleText(command, actor) }
        }
        if (command) return explain(command, today)
        // A phrase that reads as a question (`帮助 还有谁没走访`), not a topic word (`帮助 进度`).
        const asked = [...wanted].length >= 4 && readQuestion(wanted, false)
        // A question with its own answer (离八一还有几天, 我还有什么没办) is not the target's
        // usual reply, so that command's help would only mislead.
        if (asked && asked.answer !== undefined) {
          return { text: `「${wanted}」可以直接发，我会直接回答。` }
        }
        const answerer = asked && findCommand(deps.all(), asked.target)
        if (answerer && mayRun(answerer, actor.role)) {
          const text = explain(answerer, today).text
          return { text: `「${wanted}」可以直接发，由「${answerer.name}」回答。\n${text}` }
        }
        const topic = explainTopic(deps, ctx, wanted, today)
        if (topic) return topic
      }
      return {
        text: [
          ...(wanted ? [`没有找到「${wanted}」相关的命令。`] : []),
          '双拥助手可用命令：',
          ...commandList(deps, actor, today),
          '也可以直接问，如「还有谁没走访」。',
          '回复「帮助 走访」等查看说明。',
          '繁体、全角标点均可。',
        ].join('\n'),
      }
    },
  }
}

/**
 * The greeting's examples by role, as [command, example]: three or four lines of the work that
 * role does most, short enough for a phone (帮助 lists the rest). `{year}` is this year; a
 * date is shown as yesterday (asOfToday). A command the registry lacks is left out.
 */
const GREETING_EXAMPLES: Record<Role, readonly (readonly [string, string])[]> = {
  cadre: [
    ['走访', '走访 张三 7月28日 八一 慰问金500元'],
    ['发放优待金', '发放优待金 李四 7月28日'],
    ['未走访', '未走访'],
    ['未发放', '未发放 {year}'],
  ],
  leader: [
    ['统计', '统计'],
    ['未走访', '未走访'],
    ['未发放', '未发放 {year}'],
    ['年报', '年报 {year}'],
  ],
  admin: [
    ['添加对象', '添加对象 张三 铁炉嘴村 残疾军人'],
    ['设置角色', '设置角色 wecom:lisi 村干部 铁炉嘴村'],
    ['优待金标准', '优待金标准 {year} 农村5800 城镇8600'],
    ['统计', '统计'],
  ],
}

/** The greeting's example lines for `actor`: those of their role that they may run. */
function greetingExamples(deps: HelpDeps, actor: Actor, today: LocalDate): string[] {
  if (!actor.role) return []
  const commands = deps.all()
  return GREETING_EXAMPLES[actor.role]
    .filter(([name]) => {
      const command = commands.find((c) => c.name === name)
      return command !== undefined && mayRun(command, actor.role)
    })
    .map(([, example]) => `· ${asOfToday(example, today)}`)
}

// `怎么走访`, `如何设置提醒`, `怎么登记走访` and `优待金怎么发`, `提醒怎么用`: how to do one thing,
// which 帮助 with that thing answers. Near-word suggestions made them 「怎么用访」 (testers).
// Not 怎么样了, 怎么还没发, 怎么回事: those ask about something, not how to do it.
const HOW_TO_FIRST =
  /^(?:请问)?(?:怎么|如何|怎样|咋)(?!样|还|没|不|回事|办|这么|那么)(?:使用|登记|设置|用|设|做|写|发|填)?\s*(\S{2,12}?)[呢啊吗呀？?]*$/
const HOW_TO_LAST =
  /^(\S{2,12}?)(?:要|该|应该)?(?:怎么|如何|怎样|咋)(?:使用|登记|设置|用|设|做|写|发|填|弄|办)[呢啊吗呀？?]*$/

/** Command.wordFirst of 帮助: a how-to question as `帮助 <thing>`, else undefined. */
function howToAsHelp(text: string): string | undefined {
  const thing = HOW_TO_FIRST.exec(text)?.[1] ?? HOW_TO_LAST.exec(text)?.[1]
  return thing ? `帮助 ${thing}` : undefined
}

/**
 * 你好 (您好, 在吗, 怎么用, hi): who the bot is, three or four examples of the asker's role's
 * work, and 「帮助」 for the rest, in at most 12 lines (a phone screen); an
 * unregistered user hears whom to ask, as for any message.
 */
export function createGreetingCommand(deps: HelpDeps): Command {
  return {
    name: GREETING_COMMAND,
    aliases: [
      '您好',
      '你好啊',
      '在吗',
      '在不在',
      '怎么用',
      '如何使用',
      'hi',
      'hello',
      '嗨',
      '哈喽',
    ],
    audience: 'anyone',
    summary: '打个招呼，看看能做什么',
    example: '你好',
    async run(ctx) {
      const { actor, now } = ctx
      if (!actor.role) return notRegistered(actor)
      const today = localToday(now, deps.timezone)
      const where = actor.role === 'cadre' ? `（${actor.villages.join('、')}）` : ''
      return {
        text: [
          '您好！我是双拥助手，登记走访、查进度。',
          `您是${roleLabel(actor.role)}${where}，可以这样用：`,
          ...greetingExamples(deps, actor, today),
          '也可以直接问，如「还有谁没走访」。',
          '发「帮助」看全部命令。',
        ].join('\n'),
      }
    },
  }
}
