import { parseXml, XmlElement, XmlError } from '@rgrove/parse-xml'
import { z } from 'zod'
import { WebhookPayloadError } from '../../errors.js'
import type { IncomingMessage } from '../types.js'
import { scanXml, WECOM_XML_LIMITS } from './xml-scan.js'

// A DOCTYPE is the only way to declare entities; WeCom never sends one, so refusing it outright
// costs nothing and rejects an entity bomb before any parser looks at it (the parser ignores
// declared entities anyway, and refuses a reference to one as undefined).
const DECLARATION = /<!DOCTYPE|<!ENTITY/i

/**
 * An element as plain data, the shape the schemas below read: an element with child elements
 * becomes an object (a repeated name an array), any other its text, '' when empty. Text stays
 * a string because MsgId is a 64-bit integer (4561255354251345929 > 2^53) and must not pass
 * through a JS number. Attributes are ignored: WeCom sends none.
 */
function toData(element: XmlElement): unknown {
  const children = element.children.filter((c): c is XmlElement => c instanceof XmlElement)
  if (children.length === 0) return element.text
  const out: Record<string, unknown> = {}
  for (const child of children) {
    const value = toData(child)
    const seen = out[child.name]
    if (seen === undefined) out[child.name] = value
    else if (Array.isArray(seen)) seen.push(value)
    else out[child.name] = [seen, value]
  }
  return out
}

// Why @rgrove/parse-xml: it is strict (a malformed document throws, with where), so no
// separate validation pass is needed, and it parses a WeCom message in about 7 µs where
// fast-xml-parser's validate-then-parse took 19 µs (measured here); it is the largest cost
// left in receiving a message after the crypto.
/**
 * Parses one WeCom XML document and returns the children of its `<xml>` root. Throws
 * WebhookPayloadError when it is malformed, too large or nested too deep (xml-scan.ts).
 */
function parseXmlRoot(xml: string, what: string): unknown {
  if (DECLARATION.test(xml)) {
    throw new WebhookPayloadError(`wecom: ${what} contains a DOCTYPE or ENTITY declaration`)
  }
  // The parser and toData both recurse per level: bound the depth before either runs. A
  // document with no more tags than the depth limit cannot be nested past it (a text message
  // has 8), so only a longer one is walked first.
  if (xml.length > WECOM_XML_LIMITS.maxLength || tagOpenings(xml) > WECOM_XML_LIMITS.maxDepth) {
    scanXml(xml, what)
  }
  let root: XmlElement | null
  try {
    root = parseXml(xml).root
  } catch (err) {
    if (!(err instanceof XmlError)) throw err
    throw new WebhookPayloadError(`wecom: ${what} is not XML (${err.message})`)
  }
  if (root?.name !== 'xml') {
    throw new WebhookPayloadError(`wecom: ${what} has no <xml> root element`)
  }
  const data = toData(root)
  return typeof data === 'object' ? data : {}
}

/** How many `<` start a tag name (not `</`, `<!` or `<?`): at least the elements' count. */
function tagOpenings(xml: string): number {
  let count = 0
  for (let at = xml.indexOf('<'); at !== -1; at = xml.indexOf('<', at + 1)) {
    const next = xml.charCodeAt(at + 1)
    if (next !== 47 && next !== 33 && next !== 63) count++ // '/', '!', '?'
  }
  return count
}

function validated<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new WebhookPayloadError(
      `wecom: ${what} is malformed (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
    )
  }
  return result.data
}

// developer.work.weixin.qq.com/document/path/96466
// POST body: <xml><ToUserName/><AgentID/><Encrypt/></xml>; the signature covers Encrypt only.
// Only Encrypt is read (xml-scan.ts scanWecomEncrypt): the other elements are unsigned, so
// anyone could have written them, and nothing here needs them. Parsing the envelope as well
// cost a quarter of receiving a message and could only disagree with the scan.

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * The signed Encrypt text as the ciphertext to decrypt. Throws WebhookPayloadError unless it is
 * base64 as WeCom sends it: an entity or a character reference in it is refused rather than
 * resolved, so what is decrypted is exactly what the signature covered.
 */
export function wecomCiphertext(signed: string): string {
  if (!BASE64.test(signed)) throw new WebhookPayloadError('wecom: Encrypt must be base64')
  return signed
}

const digits = z.string().regex(/^\d{1,20}$/, 'must be digits')

/** XML gives one element as a value and repeated elements as an array; always take an array. */
function oneOrMany<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z.array(item),
  )
}

/** An empty element (`<OptionIds></OptionIds>`) parses as '', not as an object. */
function emptyAsObject(value: unknown): unknown {
  return value === '' ? {} : value
}

// developer.work.weixin.qq.com/document/path/90240
// template_card_event: SelectedItems → SelectedItem{QuestionKey, OptionIds → OptionId+}.
const selectedItemSchema = z.object({
  QuestionKey: z.string(),
  OptionIds: z.preprocess(emptyAsObject, z.object({ OptionId: oneOrMany(z.string()) })).optional(),
})

// developer.work.weixin.qq.com/document/path/96466 (messages), 96468 (events)
// Common: ToUserName (CorpID), FromUserName (UserID), CreateTime (Unix s), MsgType, AgentID;
// "dedupe messages by MsgId, events by FromUserName + CreateTime".
const innerSchema = z
  .object({
    ToUserName: z.string(),
    FromUserName: z.string().min(1),
    CreateTime: digits.optional(),
    MsgType: z.string().min(1),
    Content: z.string().optional(),
    MsgId: digits.optional(),
    AgentID: z.string().optional(),
    Event: z.string().optional(),
    EventKey: z.string().optional(),
    TaskId: z.string().optional(),
    SelectedItems: z
      .preprocess(emptyAsObject, z.object({ SelectedItem: oneOrMany(selectedItemSchema) }))
      .optional(),
  })
  .superRefine((inner, ctx) => {
    if (inner.MsgType === 'text') {
      if (inner.MsgId === undefined) ctx.addIssue({ code: 'custom', message: 'text needs MsgId' })
      if (inner.Content === undefined) {
        ctx.addIssue({ code: 'custom', message: 'text needs Content' })
      }
    }
    if (inner.Event === 'template_card_event' && inner.TaskId === undefined) {
      ctx.addIssue({ code: 'custom', message: 'template_card_event needs TaskId' })
    }
  })

/** A decrypted WeCom message or event, validated but still in vendor field names. */
export type WecomInner = z.output<typeof innerSchema>

/** Parses the decrypted XML. Throws WebhookPayloadError when it is not XML or lacks fields. */
export function parseWecomInner(xml: string): WecomInner {
  return validated(innerSchema, parseXmlRoot(xml, 'decrypted message'), 'decrypted message')
}

/**
 * Translates a decrypted WeCom callback into our message; `undefined` = acknowledge and ignore
 * (images, voice, menu clicks, subscribe…). `now` stands in for a missing CreateTime.
 */
export function toIncomingMessage(inner: WecomInner, now: Date): IncomingMessage | undefined {
  const userId = inner.FromUserName
  const createTime = inner.CreateTime ?? String(Math.floor(now.getTime() / 1000))
  const base = {
    platform: 'wecom' as const,
    // A self-built app only receives one-to-one messages from members; groups go elsewhere.
    chat: { platform: 'wecom' as const, chatId: userId, isGroup: false },
    sender: { userId },
    receivedAt: new Date(Number(createTime) * 1000),
  }
  if (inner.MsgType === 'text') {
    return Object.assign({}, base, { messageId: inner.MsgId ?? '', text: inner.Content ?? '' })
  }
  if (inner.MsgType !== 'event') return undefined
  // Events carry no MsgId; WeCom says to dedupe them by FromUserName + CreateTime.
  const messageId = `event-${userId}-${createTime}`
  if (inner.Event === 'enter_agent') {
    return Object.assign({}, base, { messageId, text: '', event: { type: 'enter' as const } })
  }
  if (inner.Event === 'template_card_event') {
    const items = inner.SelectedItems?.SelectedItem ?? []
    return Object.assign({}, base, {
      messageId,
      text: '',
      event: {
        type: 'card_action' as const,
        key: inner.EventKey ?? '',
        taskId: inner.TaskId ?? '',
        selections: items.map((item) => ({
          question: item.QuestionKey,
          options: item.OptionIds?.OptionId ?? [],
        })),
      },
    })
  }
  return undefined
}

/** Characters XML 1.0 forbids even inside CDATA; a stray one would make WeCom reject the reply. */
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

function cdata(text: string): string {
  // "]]>" would end the section early; split it across two sections.
  return `<![CDATA[${text.replace(XML_ILLEGAL, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

// developer.work.weixin.qq.com/document/path/90241
// Passive text reply: ToUserName = member UserID, FromUserName = CorpID, Content ≤ 2048 bytes.
/** The plaintext of a passive text reply, before encryption. `createTime` is Unix seconds. */
export function buildWecomTextReply(
  toUserId: string,
  corpId: string,
  createTime: string,
  content: string,
): string {
  return (
    `<xml><ToUserName>${cdata(toUserId)}</ToUserName><FromUserName>${cdata(corpId)}</FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(content)}</Content></xml>`
  )
}

// developer.work.weixin.qq.com/document/path/90241
// Response: <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>, CDATA except TimeStamp.
/** The HTTP body of an encrypted passive reply. */
export function buildWecomReplyEnvelope(
  encrypted: string,
  signature: string,
  timestamp: string,
  nonce: string,
): string {
  return (
    `<xml><Encrypt>${cdata(encrypted)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
  )
}

/** Byte length of `text` in UTF-8, the unit of every WeCom content limit. */
export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes at a code-point boundary, ending in '…'. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8ByteLength(text) <= maxBytes) return text
  const budget = maxBytes - utf8ByteLength('…')
  let used = 0
  let kept = ''
  for (const char of text) {
    const size = utf8ByteLength(char)
    if (used + size > budget) break
    used += size
    kept += char
  }
  return `${kept}…`
}

/** Splits one line into pieces of at most `maxBytes`, at code-point boundaries. */
function splitLongLine(line: string, maxBytes: number): string[] {
  const pieces: string[] = []
  let piece = ''
  let used = 0
  for (const char of line) {
    const size = utf8ByteLength(char)
    if (used + size > maxBytes) {
      pieces.push(piece)
      piece = ''
      used = 0
    }
    piece += char
    used += size
  }
  pieces.push(piece)
  return pieces
}

/**
 * Splits `text` into chunks of at most `maxBytes` UTF-8 bytes, breaking at line ends (a line
 * longer than a chunk is cut at a code point). Blank-only chunks are dropped: WeCom rejects
 * empty content (44004).
 */
export function splitUtf8Lines(text: string, maxBytes: number): string[] {
  const chunks: string[] = []
  let current: string | undefined
  for (const line of text.split('\n')) {
    const pieces = utf8ByteLength(line) > maxBytes ? splitLongLine(line, maxBytes) : [line]
    for (const piece of pieces) {
      const joined = current === undefined ? piece : `${current}\n${piece}`
      if (utf8ByteLength(joined) <= maxBytes) {
        current = joined
      } else {
        if (current !== undefined) chunks.push(current)
        current = piece
      }
    }
  }
  if (current !== undefined) chunks.push(current)
  return chunks.filter((chunk) => chunk.trim() !== '')
}
