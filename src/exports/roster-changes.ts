import type { Keys } from '../records/keys.js'
import type { RedisClient } from '../records/redis.js'
import { RecordWriter, type RecordDeps } from '../records/record-writer.js'
import type { Removal, WriteMeta } from '../records/schemas.js'
import { removalText } from '../records/person-fields.js'
import { parseStored, type StoredPerson } from '../records/stored-record.js'
import { WritePlan } from '../records/write-plan.js'

/** The audit action of a closed roster check (核对花名册): the mark changes are counted from. */
export const ROSTER_CHECK_ACTION = 'roster.check'

/** One change to the roster since the last check, as the 变动情况 sheet lists it. */
export interface RosterChange {
  change: '新增' | '移出' | '变更'
  at: Date
  village: string
  name: string
  category: string
  /** The conscript's own name on a conscript family's record, '' otherwise. */
  soldierName: string
  /** What changed (`村（社区）：铁炉嘴村→童家坝村`); '' for a removal. */
  detail: string
  /** Why a removed person left (`迁出（搬到县城）`, 未注明 before reasons were asked); '' else. */
  reason: string
  actor: string
}

const FIELD_NAMES: [keyof StoredPerson, string][] = [
  ['n', '姓名'],
  ['l', '村（社区）'],
  ['c', '类别'],
  ['g', '伤残等级'],
  ['lg', '伤残等级'],
  ['h', '户口类型'],
  ['e', '入伍日期'],
  ['co', '入伍批次'],
  ['sn', '义务兵姓名'],
  ['nt', '备注'],
]
// Sealed values differ on every write, so their MACs tell whether the number itself changed.
const SEALED_FIELDS: [keyof StoredPerson, string][] = [
  ['pm', '电话'],
  ['im', '身份证号'],
]

const AUDIT_PAGE = 500

function person(raw: string | undefined): StoredPerson | undefined {
  if (!raw) return undefined
  try {
    const stored = parseStored(raw)
    return stored.k === 'p' ? stored : undefined
  } catch {
    return undefined
  }
}

function removalOf(stored: StoredPerson): Removal | undefined {
  if (!stored.xr) return undefined
  const [reason, note] = stored.xr
  return { reason, ...(note !== undefined && { note }) }
}

function differences(before: StoredPerson, after: StoredPerson): string {
  const show = (v: unknown) => (v === undefined || v === '' ? '（空）' : String(v))
  return [
    ...FIELD_NAMES.filter(([k]) => before[k] !== after[k]).map(
      ([k, name]) => `${name}：${show(before[k])}→${show(after[k])}`,
    ),
    ...SEALED_FIELDS.filter(([k]) => before[k] !== after[k]).map(([, name]) => `${name}已更改`),
  ].join('；')
}

/**
 * The annual roster check (核对花名册): closing one is an audited write of its own, and the
 * changes since are read back from the audit stream, so nothing but the log holds them.
 */
export class RosterChecks {
  private readonly writer: RecordWriter
  private readonly redis: RedisClient
  private readonly keys: Keys

  constructor(deps: RecordDeps) {
    this.writer = new RecordWriter(deps)
    this.redis = deps.redis
    this.keys = deps.keys
  }

  /** Closes a check at `meta.at`; a redelivered message closes it once. */
  async close(meta: WriteMeta): Promise<void> {
    await this.writer.write(meta, async () => ({
      plan: new WritePlan(0, 'roster|check'),
      action: ROSTER_CHECK_ACTION,
      after: JSON.stringify({ at: meta.at.toISOString() }),
    }))
  }

  /**
   * When the last check was closed (undefined: never), and the roster's changes since, oldest
   * first, in `villages` when given (a move counts in both villages). Walks the audit stream
   * back to that check, page by page.
   */
  async changesSinceLastCheck(
    villages?: readonly string[],
  ): Promise<{ since: Date | undefined; changes: RosterChange[] }> {
    const wanted = villages && new Set(villages)
    const changes: RosterChange[] = []
    let end = '+'
    for (;;) {
      const page = await this.redis.xrevrange(this.keys.audit(), end, '-', 'COUNT', AUDIT_PAGE)
      for (const [, flat] of page) {
        const f: Record<string, string> = {}
        for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!
        if (f.action === ROSTER_CHECK_ACTION) {
          return { since: new Date(f.at!), changes: changes.reverse() }
        }
        const change = this.changeOf(f)
        if (!change) continue
        const places = [change.village, ...(change.movedFrom ? [change.movedFrom] : [])]
        if (wanted && !places.some((v) => wanted.has(v))) continue
        changes.push(change.row)
      }
      if (page.length < AUDIT_PAGE) return { since: undefined, changes: changes.reverse() }
      end = `(${page.at(-1)![0]}`
    }
  }

  private changeOf(
    f: Record<string, string>,
  ): { row: RosterChange; village: string; movedFrom?: string } | undefined {
    const before = person(f.before)
    const after = person(f.after)
    const base = { at: new Date(f.at!), actor: f.actor ?? '', detail: '', reason: '' }
    if (f.action === 'person.add' && after) {
      return {
        village: after.l,
        row: Object.assign({}, base, {
          change: '新增' as const,
          village: after.l,
          name: after.n,
          category: after.c,
          soldierName: after.sn ?? '',
          detail: '新登记',
        }),
      }
    }
    if (f.action === 'person.withdraw' && before) {
      return {
        village: before.l,
        row: Object.assign({}, base, {
          change: '移出' as const,
          village: before.l,
          name: before.n,
          category: before.c,
          soldierName: before.sn ?? '',
          // The withdrawn record carries the reason; removals before issue 13 show 未注明.
          reason: removalText(after ? removalOf(after) : undefined),
        }),
      }
    }
    if (f.action === 'person.update' && before && after) {
      const detail = differences(before, after)
      if (!detail) return undefined
      return {
        village: after.l,
        ...(before.l !== after.l && { movedFrom: before.l }),
        row: Object.assign({}, base, {
          change: '变更' as const,
          village: after.l,
          name: after.n,
          category: after.c,
          soldierName: after.sn ?? '',
          detail,
        }),
      }
    }
    return undefined
  }
}
