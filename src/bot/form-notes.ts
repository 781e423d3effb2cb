import type { Reply } from '../platforms/types.js'

// What the bot says about an open form when a command comes in its middle (docs/forms.md).

/**
 * What an open form holds and lacks, in a few words, for the line said when a command comes
 * in its middle: 「您的走访登记还在进行：孙德明，还差日期。」
 */
export interface FormSummary {
  /** What the form records: 走访登记, 优待金发放, 活动登记, 添加对象. */
  title: string
  /** What is filled so far, each a few words: 孙德明, 12-01, 日常. */
  filled: readonly string[]
  /** What the pending question asks for: 日期, 慰问金, 选哪位张伟. */
  missing: string
  /** What to reply to continue, when not `missing` itself: 序号, 「确认」. */
  answer?: string
}

function filledOf(summary: FormSummary): string {
  return summary.filled.join(' ')
}

/**
 * What a form holding an amount for 「确认」 says to a new record sent meanwhile, which it did
 * not read: 「慰问金 8,000 元还等您「确认」，这条新消息未读取。…」
 */
export function heldAmountUnreadLine(what: string, yuan: string): string {
  return `${what} ${yuan} 元还等您「确认」，这条新消息未读取。\n确有此事请回复「确认」；不登记请回复「取消」，再重发这条。`
}

/** 「您的走访登记还在进行：孙德明，还差日期。直接回复日期继续，回复「取消」放弃。」 */
export function stillOpenLine(summary: FormSummary | undefined): string {
  if (!summary) return '您的登记还在进行，直接回复上面的问题继续，回复「取消」放弃。'
  const filled = filledOf(summary)
  return `您的${summary.title}还在进行${filled ? `：${filled}，` : '，'}还差${summary.missing}。直接回复${summary.answer ?? summary.missing}继续，回复「取消」放弃。`
}

/** 「之前未完成的走访登记（孙德明，还差日期）已放下。」 */
export function setAsideLine(summary: FormSummary | undefined): string {
  if (!summary) return '之前未完成的登记已放下。'
  const filled = filledOf(summary)
  return `之前未完成的${summary.title}（${filled ? `${filled}，` : ''}还差${summary.missing}）已放下。`
}

/**
 * 「之前未完成的走访登记（孙德明，还差日期）已取消。」: a one-line record of the same kind was
 * stored instead, so the waiting form is dropped.
 */
export function droppedLine(summary: FormSummary | undefined): string {
  if (!summary) return '之前未完成的登记已取消。'
  const filled = filledOf(summary)
  return `之前未完成的${summary.title}（${filled ? `${filled}，` : ''}还差${summary.missing}）已取消。`
}

/** 「之前等您「确认」的优待金发放（李四 5,800 元）已放下，未登记。」 */
export function heldDroppedLine(summary: FormSummary | undefined): string {
  if (!summary) return '之前等您「确认」的登记已放下，未登记。'
  const filled = filledOf(summary)
  return `之前等您「确认」的${summary.title}${filled ? `（${filled}）` : ''}已放下，未登记。`
}

/** Past this many lines a reply is a tally or a list, and the 「还在进行」 line waits. */
export const LONG_REPLY_LINES = 8

/**
 * A reply the 「还在进行」 line would only lengthen: one with a layout (a tally's rows) or, all
 * replies together, more than LONG_REPLY_LINES lines (年报, a long 未走访 list).
 */
export function isLongReply(replies: readonly Reply[]): boolean {
  if (replies.some((r) => r.layout !== undefined)) return true
  return replies.reduce((n, r) => n + r.text.split('\n').length, 0) > LONG_REPLY_LINES
}

/**
 * Adds `note` to a command's replies: before them when the command opened a form of its own,
 * so its question stays the last thing read; after them otherwise.
 */
export function placeNote(replies: Reply[], note: string, before: boolean): Reply[] {
  if (replies.length === 0) return [{ text: note }]
  if (!before) return [...replies, { text: note }]
  const [first, ...rest] = replies
  // A reply with a layout keeps its text and layout in step: the note goes on its own.
  if (first!.layout) return [{ text: note }, ...replies]
  return [Object.assign({}, first!, { text: `${note}\n${first!.text}` }), ...rest]
}
