import { createHash } from 'node:crypto'
import type { Effect } from './record-effects.js'
import { APPLY_WRITE_FIXED_KEYS, SHARED_ENDS } from './scripts.js'

type Wire = (string | number | false | string[])[]

/**
 * What a failed guard means: an error to throw (it may look up details, e.g. who owns an ID
 * number), or 'retry' when it only shows that state read for the plan changed meanwhile.
 */
export type GuardFailure = (() => Error | Promise<Error>) | 'retry'

/**
 * One write, as the APPLY_WRITE script applies it: guards that must hold, then ops. Keys are
 * referred to by their index in KEYS, after the script's fixed keys. The target is `'new'`
 * (allocate an id), an existing record id, or 0 for a write that is not a record (config).
 */
export class WritePlan {
  private readonly planKeys: string[] = []
  private readonly keyIndex = new Map<string, number>()
  private readonly guardWires: Wire[] = []
  private readonly guardFailures: GuardFailure[] = []
  private readonly ops: Wire[] = []
  private readonly reads: Wire[] = []
  /** When set, the script refuses to write unless the record still equals the `before` JSON. */
  cas = false

  constructor(
    readonly target: 'new' | number | 0,
    /** The audit entry's `record` field for non-record writes, e.g. `allowance|2027`. */
    readonly subject?: string,
  ) {}

  /** The KEYS index of `key`, registering it on first use. */
  key(key: string): number {
    let index = this.keyIndex.get(key)
    if (index === undefined) {
      this.planKeys.push(key)
      index = APPLY_WRITE_FIXED_KEYS + this.planKeys.length
      this.keyIndex.set(key, index)
    }
    return index
  }

  /** SISMEMBER key member must be `expected` (true: a member; false: not one). */
  requireMember(key: string, member: string, expected: boolean, failure: GuardFailure): this {
    this.guardWires.push(['sismember', this.key(key), member, expected ? 1 : 0])
    this.guardFailures.push(failure)
    return this
  }

  /**
   * HGET key field must still be `stored`, the value read for this plan (a record's JSON, for
   * a compare-and-set on it). Sent as its SHA-1, not the value: a person's JSON is most of a
   * visit's plan otherwise, escaped twice.
   */
  requireUnchanged(key: string, field: string, stored: string, failure: GuardFailure): this {
    const digest = createHash('sha1').update(stored).digest('hex')
    this.guardWires.push(['hsha', this.key(key), field, digest])
    this.guardFailures.push(failure)
    return this
  }

  /** HGET key field must equal `expected` (`false`: the field must be absent). */
  requireField(key: string, field: string, expected: string | false, failure: GuardFailure): this {
    this.guardWires.push(['hget', this.key(key), field, expected])
    this.guardFailures.push(failure)
    return this
  }

  /** Creation-only ops (indexes that records never leave): SADD, HSET, RPUSH. */
  sadd(key: string, member: string): this {
    this.ops.push(['sadd', this.key(key), member])
    return this
  }

  hset(key: string, field: string, value: string): this {
    this.ops.push(['hset', this.key(key), field, value])
    return this
  }

  /** HDEL: for configuration that is removed outright (a role binding), never for indexes. */
  hdel(key: string, field: string): this {
    this.ops.push(['hdel', this.key(key), field])
    return this
  }

  rpush(key: string, value: string): this {
    this.ops.push(['rpush', this.key(key), value])
    return this
  }

  /** LTRIM key start stop: keeps a capped LIST capped (negative indexes count from the end). */
  ltrim(key: string, start: number, stop: number): this {
    this.ops.push(['ltrim', this.key(key), start, stop])
    return this
  }

  /**
   * Adds the ops that turn the effects `before` into `after`: removals first, then additions,
   * then counter deltas. Effects present on both sides cancel, so a correction that changes
   * only an amount moves only that amount. Taking an `owner` field adds a guard that nobody
   * holds it yet, failing with `ownerTaken(effect)`.
   */
  applyEffects(
    before: Effect[],
    after: Effect[],
    ownerTaken: (effect: Extract<Effect, { t: 'owner' }>) => GuardFailure,
  ): this {
    const counts = new Map<string, { key: string; field: string; n: number }>()
    // An add has no effects before it: nothing can cancel, so skip serialising every effect.
    const beforeSet = new Set(before.filter((e) => e.t !== 'count').map(identity))
    const afterSet =
      before.length === 0
        ? new Set<string>()
        : new Set(after.filter((e) => e.t !== 'count').map(identity))

    for (const e of before) {
      if (e.t === 'count') addCount(counts, e, -1)
      else if (!afterSet.has(identity(e))) this.remove(e)
    }
    for (const e of after) {
      if (e.t === 'count') addCount(counts, e, 1)
      else if (before.length === 0 || !beforeSet.has(identity(e))) this.add(e, ownerTaken)
    }
    for (const c of counts.values()) {
      if (c.n !== 0) this.ops.push(['hincrby', this.key(c.key), c.field, String(c.n)])
    }
    return this
  }

  private remove(e: Exclude<Effect, { t: 'count' }>): void {
    if (e.t === 'member') this.ops.push(['srem', this.key(e.key), e.member])
    else if (e.t === 'owner') this.ops.push(['hdel', this.key(e.key), e.field])
    else
      this.ops.push([
        'mark',
        this.key(e.key),
        e.field,
        '-1',
        this.key(e.counterKey),
        e.counterField,
      ])
  }

  private add(
    e: Exclude<Effect, { t: 'count' }>,
    ownerTaken: (effect: Extract<Effect, { t: 'owner' }>) => GuardFailure,
  ): void {
    if (e.t === 'member') this.ops.push(['sadd', this.key(e.key), e.member])
    else if (e.t === 'owner') {
      this.requireField(e.key, e.field, false, ownerTaken(e))
      this.ops.push(['hset', this.key(e.key), e.field, e.value])
    } else
      this.ops.push(['mark', this.key(e.key), e.field, '1', this.key(e.counterKey), e.counterField])
  }

  /**
   * HGET `fields` of `key` once the write is applied, in the same script, so a reply can show
   * counters exactly as this write left them without another round trip. In WriteOutcome's
   * `readAfter`, in the order asked.
   */
  readAfter(key: string, ...fields: string[]): this {
    return this.readAfterGroup(key, fieldGroup(fields))
  }

  /** readAfter of a group made beforehand, for fields a hot path asks for on every write. */
  readAfterGroup(key: string, group: FieldGroup): this {
    this.reads.push(['f', this.key(key), group.prefix, group.shared ?? (group.ends as string[])])
    return this
  }

  /**
   * Once the write is applied, how many members of `set` have a field `<member>.<code>` in
   * `hash`, for each code 0…codes-1, read back as `c0,c1,…` in WriteOutcome's `readAfter`:
   * the removed people who count among a campaign's visited households, so a reply's progress
   * is the due set's (docs/figures.md) without another round trip. Costs one SMEMBERS and
   * `codes` HEXISTS per member: removed sets are short.
   */
  readAfterMembersIn(set: string, hash: string, codes: number): this {
    this.reads.push(['m', this.key(set), this.key(hash), codes])
    return this
  }

  /** What the failure of guard `n` (1-based, as the script reports it) means. */
  async failure(n: number): Promise<Error | 'retry'> {
    const f = this.guardFailures[n - 1]
    if (f === 'retry') return f
    return f ? await f() : new Error(`write guard ${n} failed`)
  }

  /** The plan's keys (to append after the fixed ones) and its JSON for ARGV. */
  toWire(): { keys: string[]; json: string } {
    return {
      keys: [...this.planKeys],
      json: JSON.stringify({
        id: String(this.target),
        ...(this.subject !== undefined && { subject: this.subject }),
        cas: this.cas,
        guards: this.guardWires,
        ops: this.ops,
        ...(this.reads.length > 0 && { reads: this.reads }),
      }),
    }
  }
}

// Module functions rather than closures made on every write: tsx names each closure it
// compiles, a defineProperty every time one is made.
function addCount(
  counts: Map<string, { key: string; field: string; n: number }>,
  e: Extract<Effect, { t: 'count' }>,
  sign: number,
): void {
  const id = `${e.key}\u0000${e.field}`
  const c = counts.get(id) ?? { key: e.key, field: e.field, n: 0 }
  c.n += sign * e.n
  counts.set(id, c)
}

function identity(e: Effect): string {
  return JSON.stringify(e)
}

/**
 * Field names as their common prefix and their ends, as readAfter sends them: a village's
 * per-category fields (`h|铁炉嘴村|残疾军人`, …) would otherwise spell the village a dozen times.
 */
export interface FieldGroup {
  readonly prefix: string
  readonly ends: readonly string[]
  /** The number of the SHARED_ENDS list `ends` equals, sent instead of the ends themselves. */
  readonly shared?: number
}

export function fieldGroup(fields: readonly string[]): FieldGroup {
  const prefix = commonPrefix(fields)
  const ends = fields.map((f) => f.slice(prefix.length))
  const at = SHARED_ENDS.findIndex(
    (list) => list.length === ends.length && list.every((end, i) => end === ends[i]),
  )
  return at < 0 ? { prefix, ends } : { prefix, ends, shared: at + 1 }
}

/** The longest prefix all of `strings` share, never ending inside a surrogate pair. */
function commonPrefix(strings: readonly string[]): string {
  if (strings.length < 2) return ''
  const first = strings[0]!
  let end = first.length
  for (let i = 1; i < strings.length; i++) {
    const s = strings[i]!
    let j = 0
    while (j < end && s.charCodeAt(j) === first.charCodeAt(j)) j++
    end = j
  }
  const last = first.charCodeAt(end - 1)
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--
  return first.slice(0, end)
}
