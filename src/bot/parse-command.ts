import type { Command } from './command.js'

/** The command word found at the start of a (folded) message, and the rest of it. */
export interface ParsedCommand {
  command: Command
  args: string
}

/**
 * Finds the command a message starts with. Users often omit the space after the command
 * word (`走访张三`), so words are matched as prefixes, longest first (`添加对象` before
 * `对象`). A leading `/` is tolerated. Pure.
 */
export function createCommandParser(
  commands: readonly Command[],
): (text: string) => ParsedCommand | undefined {
  const words = commands
    .flatMap((command) =>
      [command.name, ...(command.aliases ?? [])].map((word) => ({
        word: word.toLowerCase(),
        command,
      })),
    )
    .sort((a, b) => b.word.length - a.word.length)
  return (text) => {
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
}
