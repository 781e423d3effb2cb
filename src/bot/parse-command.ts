import type { Command } from './command.js'
import { ASKABLE_COMMANDS, QUESTION_COMMAND, readQuestion } from './intents.js'

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
  const byWord = (text: string): ParsedCommand | undefined => {
    const body = text.replace(/^\/+/, '').trimStart()
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
  return (text) => {
    const found = byWord(text)
    const askable = !found || ASKABLE_COMMANDS.has(found.command.name)
    if (question && askable && readQuestion(text, found !== undefined)) {
      return { command: question, args: text.trim() }
    }
    return found
  }
}
