import type { z } from 'zod'
import { UnreadableRecordError } from '../errors.js'

/**
 * Parses a stored JSON value with its schema. Throws UnreadableRecordError naming `key` and
 * `field` when it is not JSON or fails the schema; the reason lists the failing paths and
 * zod's issue codes only, since JSON.parse's and zod's messages may quote the value.
 */
export function readStored<T>(schema: z.ZodType<T>, raw: string, key: string, field?: string): T {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw new UnreadableRecordError(key, field, 'not JSON')
  }
  const parsed = schema.safeParse(json)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`)
  throw new UnreadableRecordError(key, field, `fails its schema (${issues.join(', ')})`)
}
