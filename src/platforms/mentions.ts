/** The bot's own name, as users @ it in a group (`@双拥助手 统计`). */
export const BOT_NAME = '双拥助手'

// One or more leading "@名字" tokens: DingTalk usually strips the @bot mention to a leading
// space, but clients that keep it (or users who @ the bot twice) must not break the command,
// and the sandbox passes the text as typed. `\s` covers the U+2005 DingTalk puts after a
// mention and the full-width space U+3000.
const LEADING_MENTIONS = /^(?:@\S+(?:\s+|$))+/
// `@双拥助手统计`, typed without a space: the bot's own name is known, so it comes off too.
const OWN_NAME = new RegExp(`^(?:@${BOT_NAME}\\s*)+`)

/**
 * The command text of a chat message: whitespace trimmed and leading @mentions removed, so
 * `@双拥助手 统计` is `统计` on every platform. A mention inside the text stays (`备注 @张三`).
 */
export function withoutMentions(content: string): string {
  return content.trim().replace(OWN_NAME, '').replace(LEADING_MENTIONS, '').trim()
}
