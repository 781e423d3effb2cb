import { WebhookPayloadError } from '../../errors.js'

/**
 * What any one WeCom XML document may cost before a parser sees it. WeCom's deepest
 * document is a template_card_event (xml › SelectedItems › SelectedItem › OptionIds ›
 * OptionId, depth 5), and a text message's Content is at most 2048 bytes (path/90236).
 */
export interface XmlLimits {
  /** @defaultValue 16 */
  maxDepth: number
  /** In characters (a UTF-8 body has at least as many bytes), checked before the scan. @defaultValue 262144 */
  maxLength: number
}

export const WECOM_XML_LIMITS: XmlLimits = Object.freeze({ maxDepth: 16, maxLength: 256 * 1024 })

/** One step of the scan: an element opened or closed, or character data inside one. */
type XmlToken =
  | { kind: 'open'; name: string; depth: number; selfClosing: boolean }
  | { kind: 'close'; name: string; depth: number }
  | { kind: 'text'; raw: string; depth: number }

function malformed(what: string, why: string): WebhookPayloadError {
  return new WebhookPayloadError(`wecom: ${what} is not XML (${why})`)
}

/** Index just past the end of the tag that starts at `start` ('<'), skipping quoted values. */
function endOfTag(xml: string, start: number, what: string): number {
  let quote: string | undefined
  for (let i = start + 1; i < xml.length; i += 1) {
    const c = xml[i]
    if (quote !== undefined) {
      if (c === quote) quote = undefined
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === '>') {
      return i + 1
    }
  }
  throw malformed(what, 'a tag is not closed')
}

const NAME = /^[^\s/>"'=]+/

/**
 * Walks `xml` once, left to right, with no recursion, and hands each token to `visit`.
 * Why: a recursive parser given 10,000 nested elements overflows the stack (issue 10); this
 * walk costs one pass and a stack of at most `maxDepth` names, whatever the input.
 * Throws WebhookPayloadError when the document is too long, nested deeper than the limit,
 * its tags do not pair up, or it has text or a second element beside its root. It checks
 * structure only: where a document is parsed, the strict parser still runs after.
 */
export function scanXml(
  xml: string,
  what: string,
  // Optional: a scan that only checks (the decrypted message's, before the parser) makes no
  // token objects.
  visit?: (token: XmlToken) => void,
  limits: XmlLimits = WECOM_XML_LIMITS,
): void {
  if (xml.length > limits.maxLength) {
    throw new WebhookPayloadError(`wecom: ${what} is too large (over ${limits.maxLength} bytes)`)
  }
  const open: string[] = []
  let rootClosed = false
  let i = 0
  while (i < xml.length) {
    const lt = xml.indexOf('<', i)
    const textEnd = lt === -1 ? xml.length : lt
    if (textEnd > i && open.length > 0) {
      visit?.({ kind: 'text', raw: xml.slice(i, textEnd), depth: open.length })
    } else if (textEnd > i && /\S/.test(xml.slice(i, textEnd))) {
      throw malformed(what, 'text outside the root element')
    }
    if (lt === -1) break
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9)
      if (end === -1) throw malformed(what, 'a CDATA section is not closed')
      visit?.({ kind: 'text', raw: xml.slice(lt + 9, end), depth: open.length })
      i = end + 3
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4)
      if (end === -1) throw malformed(what, 'a comment is not closed')
      i = end + 3
    } else if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2)
      if (end === -1) throw malformed(what, 'a processing instruction is not closed')
      i = end + 2
    } else if (xml.startsWith('<!', lt)) {
      // Only a DOCTYPE declares entities, and WeCom never sends one: refusing it here turns
      // an entity bomb away before anything expands or even checks a signature over it.
      throw new WebhookPayloadError(`wecom: ${what} contains a DOCTYPE or ENTITY declaration`)
    } else if (xml.startsWith('</', lt)) {
      const end = endOfTag(xml, lt, what)
      const name = xml.slice(lt + 2, end - 1).trim()
      if (open.pop() !== name) throw malformed(what, `</${name.slice(0, 40)}> closes nothing`)
      if (open.length === 0) rootClosed = true
      visit?.({ kind: 'close', name, depth: open.length + 1 })
      i = end
    } else {
      const end = endOfTag(xml, lt, what)
      const name = NAME.exec(xml.slice(lt + 1, Math.min(end, lt + 256)))?.[0]
      if (name === undefined) throw malformed(what, 'a tag has no name')
      const selfClosing = xml[end - 2] === '/'
      if (open.length === 0 && rootClosed) throw malformed(what, 'more than one root element')
      if (open.length === 0 && selfClosing) rootClosed = true
      if (!selfClosing) {
        open.push(name)
        if (open.length > limits.maxDepth) {
          throw new WebhookPayloadError(
            `wecom: ${what} is nested too deep (over ${limits.maxDepth} levels)`,
          )
        }
      }
      visit?.({ kind: 'open', name, depth: open.length + (selfClosing ? 1 : 0), selfClosing })
      i = end
    }
  }
  if (open.length > 0) throw malformed(what, `<${open.at(-1)?.slice(0, 40)}> is not closed`)
}

// developer.work.weixin.qq.com/document/path/96466
// POST body: <xml><ToUserName/><AgentID/><Encrypt/></xml>; msg_signature covers Encrypt.
/**
 * The text of the one `<Encrypt>` child of the `<xml>` root, read by scanXml without parsing
 * the rest, so the signature can be checked before the body costs anything more.
 * Throws WebhookPayloadError when there is no such element, or more than one.
 */
export function scanWecomEncrypt(body: string): string {
  let root: string | undefined
  let found = 0
  let inEncrypt = false
  let encrypted = ''
  scanXml(body, 'body', (token) => {
    if (token.kind === 'open' && token.depth === 1) root = token.name
    if (token.kind === 'open' && token.depth === 2 && token.name === 'Encrypt') {
      found += 1
      inEncrypt = !token.selfClosing
    } else if (token.kind === 'close' && token.depth === 2) {
      inEncrypt = false
    } else if (token.kind === 'text' && token.depth === 2 && inEncrypt) {
      encrypted += token.raw
    }
  })
  if (root !== 'xml') throw new WebhookPayloadError('wecom: body has no <xml> root element')
  if (found !== 1) {
    throw new WebhookPayloadError(`wecom: body has ${found} <Encrypt> elements, not one`)
  }
  return encrypted
}
