import { goodsItem } from '../replies/goods-list.js'
import { typedYuan } from './amount.js'
import { parseRecordLine } from './record-line.js'

// A record told as a sentence (`昨天走访了张三，给了500块钱`, `今天去李三家慰问了`): no command
// word begins it, so it used to get a bare 没看懂. It is answered with the line that would
// record it, to check and send; never stored on a guess (docs/intents.md).

/** The words that say a visit was made, wherever they stand in the sentence. */
const VISIT_TOLD = /走访了|慰问了|看望了|探望了|去看了|看了看|去看望|去慰问|去走访|到.{1,8}?家/

/** The words that carry no field of the line: dropped before it is read. */
const FILLER =
  /走访了|慰问了|看望了|探望了|去看了|看了看|去看望|去慰问|去走访|我们|我|已经|刚才|刚刚|一下|上午|下午|中午|晚上|早上|傍晚|了|去|到/g

/** A question about visits (`张三走访了吗`, `谁还没走访`) is no record told. */
const ASKED = /[吗吧呢？?]\s*$|没有|谁|哪|多少|几/

/** Whether `text` tells of a visit made (a quick test before any reading). Pure. */
export function tellsVisit(text: string): boolean {
  return text.length <= 200 && VISIT_TOLD.test(text) && !ASKED.test(text)
}

/** A name as the roster holds one: two to four Han characters. */
const NAME = /^\p{Script=Han}{2,4}$/u

export interface RecordSentence {
  /** The 走访 line the sentence most likely says, its fields in the order 走访 reads them. */
  line: string
}

/**
 * The visit a sentence tells, as the line to send, or undefined when it tells none (no visit
 * verb, or no one named). `options` as for parseRecordLine. Pure.
 */
export function readRecordSentence(
  text: string,
  options: Parameters<typeof parseRecordLine>[1],
): RecordSentence | undefined {
  if (!tellsVisit(text)) return undefined
  // `李三家`: the household is the person (after the filler is gone, so `昨天到王一家` keeps
  // its 昨天).
  const rest = text
    .replace(FILLER, ' ')
    .replace(/(?<!\p{Script=Han})(\p{Script=Han}{2,4})家/gu, ' $1 ')
  const read = parseRecordLine(rest, options)
  const name = read.words.find((w) => NAME.test(w))
  if (!name) return undefined
  const parts = [
    '走访',
    name,
    read.dateRead?.text ?? '今天',
    ...(read.occasion ? [read.occasion] : []),
    ...(read.amountFen !== undefined ? [`慰问金${typedYuan(read.amountFen)}`] : []),
    ...read.goods.map(goodsItem),
  ]
  return { line: parts.join(' ') }
}
