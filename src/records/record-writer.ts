import type { Keys } from './keys.js'
import { FINAL_MARKER_TTL_SECONDS, type MessageCommits } from './message-commits.js'
import type { RedisClient } from './redis.js'
import { writeMetaSchema, type WriteMeta } from './schemas.js'
import { APPLY_WRITE, runScript } from './scripts.js'
import type { WritePlan } from './write-plan.js'

/** Collaborators of the record stores. `pii` is built from SECRET_KEY by the composition root. */
export interface RecordDeps {
  redis: RedisClient
  keys: Keys
  /** The messages being handled: a write under one's key makes its marker final. */
  commits?: MessageCommits
}

/** One write for RecordWriter.write: the plan, the audit action and the stored JSON around it. */
export interface WriteRequest {
  plan: WritePlan
  /** Audit action, `<kind>.<verb>`: `visit.add`, `payment.withdraw`, `allowance.standard`. */
  action: string
  /** Stored JSON before the write ('' or absent for a new record). Checked when plan.cas. */
  before?: string
  /** Stored JSON after the write; for a config write, the audit's `after` only. */
  after: string
}

/**
 * The outcome of a write: `applied` now, or `repeat` when the idempotency key was seen before
 * (then `stored` is the record as it is now, and nothing was written).
 */
export interface WriteOutcome {
  status: 'applied' | 'repeat'
  id: number
  stored?: string
  /** The plan's readAfter values as the write left them (applied writes only; null = absent). */
  readAfter?: (string | null)[]
}

const DAY_MS = 86_400_000
/** Length of one generation of idempotency markers. A repeat is recognised within ±7 days. */
const GENERATION_MS = 7 * DAY_MS
/** Each generation's hash outlives the next one, so the previous generation is always there. */
const MARKER_TTL_SECONDS = (3 * GENERATION_MS) / 1000
/** Newest records kept per author for 撤销上一条: enough to step back through a morning's work. */
export const AUTHOR_INDEX_LENGTH = 50
/** Attempts when the record changes between our read and the script (optimistic concurrency). */
const MAX_ATTEMPTS = 8

/**
 * Runs write plans through the APPLY_WRITE script. The script checks the idempotency key,
 * the guards and the record's compare-and-set, then writes the record, indexes, counters and
 * the audit entry together; a retried or redelivered write comes back as a `repeat`.
 */
export class RecordWriter {
  constructor(private readonly deps: RecordDeps) {}

  /** The three marker hashes a write at `at` checks: its generation, the previous, the next. */
  private markerKeys(at: Date): [string, string, string] {
    const generation = Math.floor(at.getTime() / GENERATION_MS)
    const { keys } = this.deps
    return [
      keys.idempotency(generation),
      keys.idempotency(generation - 1),
      keys.idempotency(generation + 1),
    ]
  }

  /** The earlier write under `meta.idempotencyKey`, if any (read-only). */
  async seen(meta: WriteMeta): Promise<WriteOutcome | undefined> {
    const { redis, keys } = this.deps
    const found = await Promise.all(
      this.markerKeys(meta.at).map((k) => redis.hget(k, meta.idempotencyKey)),
    )
    const id = found.find((v) => v !== null)
    if (id === undefined || id === null) return undefined
    const stored = id === '0' ? null : await redis.hget(keys.records(), id)
    return { status: 'repeat', id: Number(id), stored: stored ?? undefined }
  }

  /**
   * Writes what `build` plans, once per idempotency key. `build` reads the current state and
   * returns a request, or undefined when there is nothing to write; it is called again when the
   * record changed meanwhile. The script itself answers a repeat, so the earlier write is only
   * looked up when `build` refuses or finds nothing to do: a redelivery must still get the first
   * answer after the person was removed, or once the change it made is already in place.
   * Throws the failing guard's error, and a plain Error after MAX_ATTEMPTS conflicts.
   */
  async write(
    rawMeta: WriteMeta,
    build: () => Promise<WriteRequest | undefined>,
  ): Promise<WriteOutcome | undefined> {
    const meta = writeMetaSchema.parse(rawMeta)
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let request: WriteRequest | undefined
      try {
        request = await build()
      } catch (err) {
        const earlier = await this.seen(meta)
        if (earlier) return earlier
        throw err
      }
      if (!request) return await this.seen(meta)
      const outcome = await this.apply(meta, request)
      if (outcome !== 'conflict') return outcome
    }
    throw new Error(`record kept changing during ${MAX_ATTEMPTS} write attempts`)
  }

  private async apply(meta: WriteMeta, request: WriteRequest): Promise<WriteOutcome | 'conflict'> {
    const { redis, keys } = this.deps
    const { plan } = request
    // Every new record joins its author's capped index in the same script, so 撤销上一条
    // finds it in one read whichever store wrote it (build makes a fresh plan per attempt).
    if (plan.target === 'new') {
      plan
        .rpush(keys.recordsBy(meta.actor), '$id')
        .ltrim(keys.recordsBy(meta.actor), -AUTHOR_INDEX_LENGTH, -1)
    }
    const wire = plan.toWire()
    const allKeys = [keys.recordSeq(), keys.records(), keys.audit(), ...this.markerKeys(meta.at)]
    const commit = this.deps.commits?.of(meta.idempotencyKey)
    const reply = (await runScript(
      redis,
      APPLY_WRITE,
      [...allKeys, ...wire.keys, ...(commit ? [commit.seenKey] : [])],
      [
        meta.idempotencyKey,
        MARKER_TTL_SECONDS,
        meta.actor,
        meta.at.toISOString(),
        request.action,
        request.before ?? '',
        request.after,
        wire.json,
        commit ? FINAL_MARKER_TTL_SECONDS : '',
      ],
    )) as [number, number, string | null | false | undefined, (string | null | false)[]?]
    const [status, value, stored, reads] = reply
    if (status === -1) {
      if (value === 0) return 'conflict'
      const failure = await plan.failure(value)
      if (failure === 'retry') return 'conflict'
      throw failure
    }
    if (commit) commit.committed = true
    // RESP3 turns a Lua false into a boolean, RESP2 into null: both mean "no record".
    return {
      status: status === 1 ? 'applied' : 'repeat',
      id: value,
      stored: typeof stored === 'string' && stored !== '' ? stored : undefined,
      ...(reads && { readAfter: reads.map((v) => (typeof v === 'string' ? v : null)) }),
    }
  }
}
