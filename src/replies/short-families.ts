import { formatYuan } from '../parse/amount.js'
import type { RecordStore } from '../records/record-store.js'
import { CONSCRIPT_FAMILY } from '../records/schemas.js'
import type { UnderpaidFamily } from '../records/tally-reader.js'

/**
 * `铁炉嘴村 李三 已发 300 元，尚欠 5,500 元`: each family paid less than its standard that is
 * still on the roster as a conscript family, in the tally's order. One wording for 未发放 in
 * chat and its export sheet, so the two name the same families the same way.
 */
export async function shortFamilyLines(
  records: Pick<RecordStore, 'getRecords'>,
  underpaid: readonly UnderpaidFamily[],
): Promise<string[]> {
  if (underpaid.length === 0) return []
  const people = new Map(
    (await records.getRecords(underpaid.map((u) => u.personId))).map((r) => [r.id, r]),
  )
  return underpaid.flatMap((u) => {
    const p = people.get(u.personId)
    if (p?.kind !== 'person' || p.status !== 'active' || p.category !== CONSCRIPT_FAMILY) return []
    const owed = formatYuan(u.standardFen - u.paidFen)
    return [`${u.village} ${p.name} 已发 ${formatYuan(u.paidFen)} 元，尚欠 ${owed} 元`]
  })
}
