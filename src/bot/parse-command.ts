import type { Command } from './command.js'
import { ASKABLE_COMMANDS, QUESTION_COMMAND, readQuestion } from './intents.js'

/** The command word found at the start of a (folded) message, and the rest of it. */
export interface ParsedCommand {
  command: Command
  args: string
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
      return { command, args: rest.replace(/^[\s:,，：]+/, '').trim() }
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
