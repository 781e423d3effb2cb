import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { OCCASIONS, type Occasion } from '../occasions.js'

/** What can be exported: the visit ledger (台账), the roster (花名册), the payment list (优待金). */
export const EXPORT_KINDS = ['ledger', 'roster', 'payments'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]

/** How long a download link works. */
export const EXPORT_LINK_TTL_MS = 15 * 60_000

/** One export as a link carries it; everything in it is covered by the signature. */
export interface ExportRequest {
  kind: ExportKind
  /** The year of a ledger or payment list; a roster is always today's. */
  year?: number
  /**
   * A ledger of one campaign (`导出 台账 2027 春节`, across its calendar years); unset = the
   * calendar year's ledger, by visit date.
   */
  occasion?: Occasion
  /** Villages covered; undefined = every village. */
  villages?: readonly string[]
  /** Phone and ID numbers in clear: only for an admin who asked in a private chat. */
  reveal: boolean
  /** `platform:userId` of who asked, for the download log. */
  by: string
  /** Who asked, as the platform names them: the sheets' 制表人. */
  byName?: string
}

export interface SignedExport extends ExportRequest {
  /** Epoch milliseconds after which the link is refused (410). */
  expiresAt: number
}

/** Why a link was refused: `forged` (bad signature or shape, 403) or `expired` (410). */
export class ExportLinkError extends Error {
  constructor(readonly reason: 'forged' | 'expired') {
    super(`export link ${reason}`)
    this.name = 'ExportLinkError'
  }
}

const payloadSchema = z.strictObject({
  k: z.enum(EXPORT_KINDS),
  y: z.number().int().min(2000).max(2100).optional(),
  o: z.enum(OCCASIONS).optional(),
  n: z.string().min(1).max(60).optional(),
  v: z.array(z.string().min(1).max(30)).max(200).optional(),
  r: z.boolean(),
  b: z.string().min(1).max(200),
  e: z.number().int().positive(),
})

// The same derivation as pii.ts, under another salt and purpose: a link's MAC key is never
// the key that seals ID numbers, though both come from SECRET_KEY.
const HKDF_SALT = 'shuangyong-bot/exports'
const MAC_BYTES = 32

/**
 * Short-lived signed download links (`<PUBLIC_URL>/exports/<token>`). The token is the
 * base64url JSON of kind, year, villages, reveal, requester and expiry, then `.` and its
 * HMAC-SHA256 under a key derived from SECRET_KEY; nothing is stored server-side.
 */
export class ExportLinks {
  private readonly key: Buffer
  private readonly publicUrl: string
  private readonly ttlMs: number

  constructor(options: {
    secretKey: string
    publicUrl: string
    /** @defaultValue EXPORT_LINK_TTL_MS */
    ttlMs?: number
  }) {
    this.key = Buffer.from(hkdfSync('sha256', options.secretKey, HKDF_SALT, 'export link v1', 32))
    this.publicUrl = options.publicUrl.replace(/\/+$/, '')
    this.ttlMs = options.ttlMs ?? EXPORT_LINK_TTL_MS
  }

  /** A link to `request`, valid for the TTL from `now`. */
  create(request: ExportRequest, now: Date): { url: string; token: string; expiresAt: Date } {
    const expiresAt = now.getTime() + this.ttlMs
    const payload = payloadSchema.parse({
      k: request.kind,
      ...(request.year !== undefined && { y: request.year }),
      ...(request.occasion && { o: request.occasion }),
      ...(request.byName && { n: request.byName }),
      ...(request.villages && { v: [...request.villages] }),
      r: request.reveal,
      b: request.by,
      e: expiresAt,
    })
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
    const token = `${body}.${this.mac(body).toString('base64url')}`
    return { url: `${this.publicUrl}/exports/${token}`, token, expiresAt: new Date(expiresAt) }
  }

  /**
   * The export a token stands for. Throws ExportLinkError('forged') unless the signature
   * matches (checked first, in constant time), ExportLinkError('expired') after its expiry.
   */
  open(token: string, now: Date): SignedExport {
    const [body, mac, extra] = token.split('.')
    if (!body || !mac || extra !== undefined) throw new ExportLinkError('forged')
    const given = Buffer.from(mac, 'base64url')
    const wanted = this.mac(body)
    // timingSafeEqual needs equal lengths; the length of a MAC is no secret.
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, wanted)) {
      throw new ExportLinkError('forged')
    }
    let payload: z.infer<typeof payloadSchema>
    try {
      payload = payloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')))
    } catch {
      throw new ExportLinkError('forged')
    }
    if (now.getTime() > payload.e) throw new ExportLinkError('expired')
    return {
      kind: payload.k,
      ...(payload.y !== undefined && { year: payload.y }),
      ...(payload.o && { occasion: payload.o }),
      ...(payload.n && { byName: payload.n }),
      ...(payload.v && { villages: payload.v }),
      reveal: payload.r,
      by: payload.b,
      expiresAt: payload.e,
    }
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest()
  }
}
