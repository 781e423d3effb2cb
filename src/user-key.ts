import { PLATFORMS, type ChatRef, type Platform } from './platforms/types.js'

// A chat user as `platform:userId` (`wecom:zhangsan`, `dingtalk:0123`, `sandbox:admin`): the
// id of roles, audit entries and records. The one format, parse and pattern; ADMIN_USERS,
// 设置角色 and the reminders' private chats all read keys through here.

export type UserKey = `${Platform}:${string}`

/** A chat user's key; the user id holds no `:` or space (the platforms' ids do not). */
export const USER_KEY = new RegExp(`^(${PLATFORMS.join('|')}):[^:\\s]+$`)

export function userKeyOf(platform: Platform, userId: string): UserKey {
  return `${platform}:${userId}`
}

export function isUserKey(text: string): text is UserKey {
  return USER_KEY.test(text)
}

/** The platform and user id of a key; undefined when it is not a chat user's key. */
export function parseUserKey(text: string): { platform: Platform; userId: string } | undefined {
  if (!isUserKey(text)) return undefined
  const separator = text.indexOf(':')
  return { platform: text.slice(0, separator) as Platform, userId: text.slice(separator + 1) }
}

/** The private chat with a user: where their reminders go. */
export function privateChatOf(key: string): ChatRef | undefined {
  const parsed = parseUserKey(key)
  return parsed && { platform: parsed.platform, chatId: parsed.userId, isGroup: false }
}
