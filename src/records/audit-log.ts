import { z } from 'zod'
import type { RecordDeps } from './record-writer.js'

const auditFieldsSchema = z.object({
  actor: z.string(),
  at: z.string(),
  action: z.string(),
  record: z.string(),
  before: z.string(),
  after: z.string(),
})

/**
 * One audit entry: who (`platform:userId`) did what (`visit.add`, `payment.withdraw`, …) to
 * which record (`'123'`, or a subject like `allowance|2027`) and when (ISO). `before` and
 * `after` are the stored JSON (stored-record.ts); absent for a creation's before.
 */
export interface AuditEntry {
  /** Stream entry id, e.g. `1795889991936-0`. */
  entryId: string
  actor: string
  at: string
  action: string
  record: string
  before?: string
  after?: string
}

/** Entries read per XRANGE while walking the stream. */
const AUDIT_PAGE = 500

function toEntry([entryId, flat]: [string, string[]]): AuditEntry {
  const fields: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!
  const f = auditFieldsSchema.parse(fields)
  return {
    entryId,
    actor: f.actor,
    at: f.at,
    action: f.action,
    record: f.record,
    ...(f.before !== '' && { before: f.before }),
    ...(f.after !== '' && { after: f.after }),
  }
}

/**
 * Reads the append-only audit stream every write appends to (style.md §2.9). Nothing here
 * writes: entries are only added by the write script, in the same step as the change.
 */
export class AuditLog {
  constructor(private readonly deps: RecordDeps) {}

  /** The newest `count` entries, newest first. */
  async latest(count = 20): Promise<AuditEntry[]> {
    const { redis, keys } = this.deps
    const raw = await redis.xrevrange(keys.audit(), '+', '-', 'COUNT', count)
    return raw.map(toEntry)
  }

  /**
   * Every entry about `record` (a record number or a subject), oldest first. Walks the whole
   * stream in pages, so it is for admins and investigations, not for chat replies.
   */
  async historyOf(record: number | string): Promise<AuditEntry[]> {
    const { redis, keys } = this.deps
    const wanted = String(record)
    const out: AuditEntry[] = []
    let start = '-'
    for (;;) {
      const page = await redis.xrange(keys.audit(), start, '+', 'COUNT', AUDIT_PAGE)
      for (const e of page.map(toEntry)) if (e.record === wanted) out.push(e)
      if (page.length < AUDIT_PAGE) return out
      start = `(${page[page.length - 1]![0]}`
    }
  }

  /** The id of the newest entry, '0-0' when the log is empty: the store's write clock. */
  async lastEntryId(): Promise<string> {
    const { redis, keys } = this.deps
    const raw = await redis.xrevrange(keys.audit(), '+', '-', 'COUNT', 1)
    return raw[0]?.[0] ?? '0-0'
  }
}
