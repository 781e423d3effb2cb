import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { UserFacingError } from '../errors.js'

/**
 * Personal information (个人信息保护法): phone and ID numbers are stored encrypted with
 * AES-256-GCM and looked up by an HMAC-SHA256 of the normalised value, both keyed from the
 * deployment's SECRET_KEY through HKDF-SHA256 (one derived key per purpose).
 */

export type PiiField = 'phone' | 'idNumber' | 'robot'

const SEALED_PREFIX = 'v1:'
const IV_BYTES = 12
const TAG_BYTES = 16
// A fixed, public salt: HKDF only needs it to separate this application's keys from any
// other use of the same SECRET_KEY; the secret itself provides the entropy.
const HKDF_SALT = 'shuangyong-bot/records/pii'

function deriveKey(secretKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, HKDF_SALT, purpose, 32))
}

/** Encrypts, decrypts and MACs phone and ID numbers (and seals group robot credentials) with keys derived from SECRET_KEY. */
export class Pii {
  private readonly encryptionKey: Buffer
  private readonly macKey: Buffer

  /** Throws when `secretKey` is too short to derive keys from (fewer than 16 characters). */
  constructor(secretKey: string) {
    if (secretKey.length < 16) {
      throw new Error('SECRET_KEY must be at least 16 characters (it encrypts ID numbers at rest)')
    }
    this.encryptionKey = deriveKey(secretKey, 'pii aes-256-gcm v1')
    this.macKey = deriveKey(secretKey, 'pii hmac-sha256 v1')
  }

  /**
   * `v1:` + base64url(iv | ciphertext | tag). The field name is the GCM associated data, so a
   * sealed phone pasted into the ID-number slot fails to open.
   */
  seal(field: PiiField, value: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv)
    cipher.setAAD(Buffer.from(field))
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
    return SEALED_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
  }

  /** The clear value of `sealed`. Throws when it was sealed under another SECRET_KEY or field. */
  open(field: PiiField, sealed: string): string {
    if (!sealed.startsWith(SEALED_PREFIX)) throw new Error(`unknown sealed ${field} format`)
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url')
    const iv = raw.subarray(0, IV_BYTES)
    const tag = raw.subarray(raw.length - TAG_BYTES)
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES)
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv)
    decipher.setAAD(Buffer.from(field))
    decipher.setAuthTag(tag)
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
    } catch (err) {
      throw new Error(`cannot decrypt a stored ${field}: was SECRET_KEY changed?`, { cause: err })
    }
  }

  /** HMAC of an already normalised value, base64url; equal values give equal MACs. */
  mac(field: PiiField, normalised: string): string {
    return createHmac('sha256', this.macKey).update(`${field}:${normalised}`).digest('base64url')
  }
}

/**
 * The canonical form of an ID number (身份证号): half-width, no spaces, upper-case X.
 * Throws UserFacingError unless it has 18 characters (17 digits + digit or X) or 15 digits.
 */
export function normalizeIdNumber(input: string): string {
  const s = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase()
  if (!/^(\d{17}[\dX]|\d{15})$/.test(s)) {
    throw new UserFacingError('身份证号格式不对：应为18位（末位可为X）或15位数字。')
  }
  return s
}

/**
 * The canonical form of a phone number: half-width digits only, without a +86/0086 prefix.
 * Throws UserFacingError unless 7–15 digits remain.
 */
export function normalizePhone(input: string): string {
  let s = input.normalize('NFKC').replace(/[\s\-()]/g, '')
  s = s.replace(/^(\+86|0086)/, '')
  if (/^86\d{11}$/.test(s)) s = s.slice(2)
  if (!/^\d{7,15}$/.test(s)) {
    throw new UserFacingError('电话号码格式不对：请填写手机号（11位）或带区号的座机号。')
  }
  return s
}

/** `13800001111` → `138****1111`: first 3 and last 4 digits kept (last 2 for short numbers). */
export function maskPhone(phone: string): string {
  if (phone.length >= 8) return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4)
  return '*'.repeat(Math.max(0, phone.length - 2)) + phone.slice(-2)
}

/** `320102199001011234` → `3201**********1234`: first 4 and last 4 characters kept. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 8) return '*'.repeat(idNumber.length)
  return idNumber.slice(0, 4) + '*'.repeat(idNumber.length - 8) + idNumber.slice(-4)
}

/**
 * `text` made safe for a log line: digit runs that may be phone or ID numbers masked (as in
 * replies), and group robot keys, tokens and 加签 secrets hidden. Logs leave the system of
 * record, so personal information must not ride along (个人信息保护法).
 */
export function redactForLog(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/(key=|access_token=)[^\s&]+/gi, '$1***')
    .replace(/\bSEC[0-9a-f]{8,}/gi, 'SEC***')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '***')
    .replace(/\d{7,}[Xx]?/g, (m) => (m.length >= 15 ? maskIdNumber(m) : maskPhone(m)))
}
