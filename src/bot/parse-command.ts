import { editDistance } from '../parse/nearest-village.js'
import { tellsVisit } from '../parse/record-sentence.js'
import type { Command } from './command.js'
import {
  ASKABLE_COMMANDS,
  QUESTION_COMMAND,
  ledgerAsked,
  readQuestion,
  recordsAskedOf,
} from './intents.js'

/** The command word found at the start of a (folded) message, and the rest of it. */
export interface ParsedCommand {
  command: Command
  args: string
}

/**
 * Commands whose text after the command word ends in the user's own words (a 备注, a need, a
 * 提醒's text, a 办结's 说明): their args are passed on as typed, and their own readers treat
 * a closing mark (record-line.ts reads `走访 张三 今天 日常。` as one visit).
 */
const FREE_TEXT_COMMANDS: ReadonlySet<string> = new Set([
  '走访',
  '发放优待金',
  '活动',
  '添加对象',
  '修改',
  '办结',
  '提醒',
])

/**
 * The marks a sentence closes with, as folded (`。` stays, `！？～` become `!?~`, `…` `...`):
 * the args of every other command (words: years, occasions, villages, names, record numbers)
 * lose them at the end, so `统计。`, `年报 2026。` and `我的记录？` are `统计`, `年报 2026` and
 * `我的记录` (docs/intents.md, "A closing mark").
 */
const CLOSING_MARKS = new Set([...' \n\t。.!?~〜…'])

/** `args` without the closing marks at its end (a loop: a pattern would backtrack on runs). */
function withoutClosingMarks(args: string): string {
  let end = args.length
  while (end > 0 && CLOSING_MARKS.has(args[end - 1]!)) end--
  return args.slice(0, end)
}

/**
 * Finds the command a message starts with. Users often omit the space after the command
 * word (`走访张三`), so words are matched as prefixes, longest first (`添加对象` before
 * `对象`). A leading `/` is tolerated. Pure.
 *
 * A question in the asker's own words (`还有谁没走访`, `走访进度`) goes, whole, to the question
 * command (intents.ts) when there is one, even when it begins with a record command's word:
 * `优待金发放情况` is never a payment to 情况 (docs/intents.md).
 */
export function createCommandParser(
  commands: readonly Command[],
): (text: string) => ParsedCommand | undefined {
  const question = commands.find((command) => command.name === QUESTION_COMMAND)
  const words = commands
    .filter((command) => command !== question)
    .flatMap((command) =>
      [command.name, ...(command.aliases ?? [])].map((word) => ({
        word: word.toLowerCase(),
        command,
      })),
    )
    .sort((a, b) => b.word.length - a.word.length)
  const reworded = commands.filter((command) => command.wordFirst !== undefined)
  const byWord = (text: string): ParsedCommand | undefined => {
    const slashless = text.replace(/^\/+/, '').trimStart()
    // `发放2026年优待金 李一`, `2026年年报`: a qualifier around the command word is an argument.
    let body = slashless
    for (const command of reworded) {
      const moved = command.wordFirst!(slashless)
      if (moved !== undefined) {
        body = moved
        break
      }
    }
    const lower = body.toLowerCase()
    for (const { word, command } of words) {
      if (!lower.startsWith(word)) continue
      const rest = body.slice(word.length)
      // `help me` is help, but `helpful` is not: a Latin word must end at a boundary.
      if (/^[a-z]/i.test(word) && /^[a-z]/i.test(rest)) continue
      const args = rest.replace(/^[\s:,，：]+/, '').trim()
      return {
        command,
        args: FREE_TEXT_COMMANDS.has(command.name) ? args : withoutClosingMarks(args),
      }
    }
    return undefined
  }
  const near = nearWords(commands)
  const correct = commands.find((command) => command.name === CORRECT_COMMAND)
  return (text) => {
    const found = byWord(text)
    // `#13 金额改成400`, `把13号的金额改为四百元`: a correction in the cadre's words, read by 修改.
    if (!found && correct && isCorrectionPhrase(text)) {
      return { command: correct, args: text.trim() }
    }
    const askable = !found || ASKABLE_COMMANDS.has(found.command.name)
    if (question && askable && readQuestion(text, found !== undefined)) {
      return { command: question, args: text.trim() }
    }
    // `台账`, `张三的记录`: what a command makes or shows, asked by its name; the question
    // command answers with the line to send or the records.
    // (`走访台账` begins with a record command's word, as `走访进度` does.)
    if (question && askable && (ledgerAsked(text) || (!found && recordsAskedOf(text)))) {
      return { command: question, args: text.trim() }
    }
    // Not understood, but its first word is a command word mistyped (`走防 李一 今天`): the
    // question command answers with the corrected line, and runs nothing.
    // `昨天走访了张三，给了500块钱`: a visit told as a sentence, answered with its line.
    if (!found && question && tellsVisit(text)) return { command: question, args: text.trim() }
    if (!found && question && nearCommand(text, near)) {
      return { command: question, args: text.trim() }
    }
    return found
  }
}

/** The command a correction in the cadre's own words goes to (isCorrectionPhrase). */
const CORRECT_COMMAND = '修改'

/**
 * A record named at the start of a correction: `#13`, `13号`, `13号记录`, `13条`, `第13条`, or
 * 上一条 and its words, after an opening `把`/`将` or `改一下` (`改一下#13`, `把13号的…`). A
 * number ends at no further digit and no date word: `把11月30号…` names no record.
 */
const CORRECTION_START =
  /^(?:请|麻烦|帮我|帮忙)*(?:把|将|改一下|改下|改|更正一下|更正)?\s*(?:#\s*\d{1,12}(?![\d月./-])|第\s*\d{1,12}\s*条|\d{1,12}\s*(?:号记录|号|条记录|条)(?![\d月日])|上一条|上条|最后一条|刚才那条)/

/** A change word said after the record: 改成, 改为, 改一下, 更正, 应该是 (`刚才那条金额写错了，应该是300`). */
const CHANGE_WORD = /改|更正|应该是|应该为|应为|应是/

/**
 * Whether a message that starts with no command word is a correction written as people say one
 * (`改一下#13，金额四百`, `#13 金额改成400`, `把1号记录的日期改成11月30日`): a record named first
 * (CORRECTION_START) and a change word somewhere (`#13 金额 400` alone may be a 查看 mistyped, and
 * is left alone). 修改 then reads the field and value, or says how to write them. Pure.
 */
export function isCorrectionPhrase(text: string): boolean {
  const body = text.replace(/^\/+/, '').trim()
  return CORRECTION_START.test(body) && CHANGE_WORD.test(body)
}

/** What a message not understood most likely meant (nearCommand). */
export interface NearCommand {
  /** The first word as typed: `走防`. */
  typed: string
  /** The message with that word corrected: `走访 李一 今天 元旦`; for a hint, the rest. */
  line: string
  /** For `添加村`: how villages come about, instead of a line to send. */
  hint?: 'village'
}

/**
 * The command words a typo is compared with: names and aliases with a Han character (`help`,
 * `?` are left out), the question command's own name too, longest first.
 */
export function nearWords(commands: readonly Command[]): string[] {
  const words = commands
    .filter((command) => command.name !== QUESTION_COMMAND)
    .flatMap((command) => [command.name, ...(command.aliases ?? [])])
    .filter((word) => /\p{Script=Han}/u.test(word) && [...word].length >= 2)
  return [...new Set(words)].sort((a, b) => [...b].length - [...a].length)
}

/** 添加村, 新建社区: a village is never added by itself (docs/intents.md, "A mistyped word"). */
const ADD_VILLAGE = /^(?:添加|新增|增加|新建|创建|建立)(?:村庄|村子|村|社区)/

/**
 * Two-character commands sent alone as often as with arguments: their lone slip (`统记`,
 * `年抱`) is offered too. Other two-character words alone are left alone, so a form's answer
 * (`对的`) is never taken for one (`对象`).
 */
const RUNS_ALONE: ReadonlySet<string> = new Set(['统计', '年报'])
/** Words one edit from those that mean something of their own, which a form may be answered with. */
const WORDS_OF_THEIR_OWN: ReadonlySet<string> = new Set([
  '统一',
  '统共',
  '年底',
  '年初',
  '年前',
  '年后',
  '年度',
])

/** A record's verb alone, for its command: nearer in meaning than a word one edit away. */
const VERB_OF: Readonly<Record<string, string>> = { 发放: '发放优待金', 补发: '补发优待金' }

/** Where the first word of a message ends: a space or a separator. */
const WORD_END = /[\s:,，：]/

/**
 * The command a message not understood most likely meant: its first word is one edit from a
 * command word (`走防` → 走访, `修该` → 修改, `发放优带金` → 发放优待金), a single-character
 * typo being the usual slip of a pinyin keyboard (same sound, another character). A two
 * character word is matched with a character replaced, and only with something after it
 * unless it is one of RUNS_ALONE; a longer one also when run together
 * with its arguments (`发放优带金李一`). Undefined when nothing is that close. Pure; cheap: it
 * runs only for a message that no command word and no question matched.
 */
export function nearCommand(text: string, words: readonly string[]): NearCommand | undefined {
  const body = text.replace(/^\/+/, '').trim()
  const end = body.search(WORD_END)
  const token = end < 0 ? body : body.slice(0, end)
  const rest = end < 0 ? '' : body.slice(end)
  if (ADD_VILLAGE.test(body)) return { typed: token, line: rest.trim(), hint: 'village' }
  const typed = [...token]
  if (typed.length < 2 || !/\p{Script=Han}/u.test(token)) return undefined
  // `发放 李三 2026年优待金` is a payment, though 未发放 is one edit from 发放 (a tester).
  const verb = VERB_OF[token]
  if (verb && rest !== '') return { typed: token, line: `${verb}${rest}` }
  for (const word of words) {
    const wanted = [...word]
    if (wanted.length === 2) {
      if (typed.length !== 2 || editDistance(typed, wanted) !== 1) continue
      if (rest === '' && (!RUNS_ALONE.has(word) || WORDS_OF_THEIR_OWN.has(token))) continue
      return { typed: token, line: `${word}${rest}` }
    }
    if (Math.abs(typed.length - wanted.length) <= 1 && editDistance(typed, wanted) === 1) {
      return { typed: token, line: `${word}${rest}` }
    }
    // Run together with its arguments: the word's length of it, one character replaced.
    if (typed.length > wanted.length) {
      const lead = typed.slice(0, wanted.length)
      if (editDistance(lead, wanted) === 1 && lead[0] === wanted[0]) {
        return { typed: lead.join(''), line: `${word}${body.slice(lead.join('').length)}` }
      }
    }
  }
  return undefined
}
