import { occasionOfAnswer } from '../occasions.js'

/**
 * `春节慰问 李一 今天`, `八一走访张三`, `节前慰问 李二 昨天`, `日常走访 李三 今天`: the occasion
 * before the visit's word, as cadres most often say it (a tester's four such lines were all 没看懂). Read as the visit
 * command with the occasion among its fields: `慰问 春节 李一 今天`. 节前 says only that a
 * festival is near, so the date's campaign decides (as a visit dated in one window is filed).
 */
const OCCASION_FIRST =
  /^(春节前?|年前|八一建军节|建军节|八一|元旦|节前|日常|困难帮扶|帮扶)(?:期间)?(慰问|走访|看望|探望)(?![金品了过情进率])[\s:：,，]*(\S.*)$/

// What makes the rest a question about visits, not a record: `春节走访几户了`, `八一慰问谁了`.
const QUESTION_LIKE = /[几吗么嘛呢谁哪?？]|多少|情况|怎么|进度|统计|名单|完成|没有/

// Words before a festival that are no occasion word of their own (occasions.ts holds those):
// 春节前 and 年前 say 春节; 节前 names none, so the date's campaign decides.
const BEFORE_FESTIVAL: Record<string, string> = { 春节前: '春节', 年前: '春节', 节前: '' }

// `困难帮扶 张三 今天 慰问金500元`: 困难帮扶 names the visit on its own, with no verb after it.
const HARDSHIP_ALONE = /^困难帮扶[\s:：,，]+(\S.*)$/

/** Command.wordFirst of 走访: the text with the visit's word first, or undefined. */
export function visitWordFirst(text: string): string | undefined {
  const alone = HARDSHIP_ALONE.exec(text)
  if (alone && !QUESTION_LIKE.test(alone[1]!.split(/备注|需求/)[0]!)) {
    return `走访 困难帮扶 ${alone[1]}`
  }
  const found = OCCASION_FIRST.exec(text)
  // Only the words before a 备注 or 需求 can ask: `备注 家里没有困难` is the record's own text.
  if (!found || QUESTION_LIKE.test(found[3]!.split(/备注|需求/)[0]!)) return undefined
  const [, lead, verb, rest] = found
  const occasion = BEFORE_FESTIVAL[lead!] ?? occasionOfAnswer(lead!)
  // The occasion right after the word, so it never lands in a 备注 at the line's end; one line
  // only (the pattern does not cross a line), a record over several being written word first.
  return occasion ? `${verb} ${occasion} ${rest}` : `${verb} ${rest}`
}
