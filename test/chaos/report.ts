import type { FaultResult } from './faults.js'

/**
 * `chaos <fault>: sent N, acknowledged N, stored N, lost N, doubled N`, then one line per
 * delivery count (`delivered 0/1/2+ times: a/b/c`) and one of detail.
 */
export function formatResult(result: FaultResult): string {
  const lines: string[] = []
  const m = result.messages
  if (m) {
    lines.push(
      `chaos ${result.fault}: sent ${m.sent}, acknowledged ${m.acknowledged}, stored ${m.stored}, lost ${m.lost}, doubled ${m.doubled}`,
    )
  }
  for (const { what, tally } of result.deliveries) {
    lines.push(
      `chaos ${result.fault}: ${what} delivered 0/1/2+ times: ${tally.never}/${tally.once}/${tally.twiceOrMore}`,
    )
  }
  const detail = [`${Math.round(result.seconds)} s`]
  if (m && m.lost > 0) {
    const by = Object.entries(m.lostBy).filter(([, n]) => n > 0)
    detail.unshift(`lost: ${by.map(([platform, n]) => `${platform} ${n}`).join(', ')}`)
  }
  if (result.notes) detail.unshift(...result.notes)
  if (m) {
    detail.unshift(
      `never acknowledged ${m.unacknowledged} (stored anyway ${m.unacknowledgedStored})`,
      `resends ${m.resends}`,
    )
  }
  lines.push(`  (${detail.join('; ')})`)
  return lines.join('\n')
}

/** The faults whose acknowledged messages were lost or stored twice. */
export function failedBy(results: FaultResult[]): string[] {
  return results
    .filter((r) => r.messages !== undefined && (r.messages.lost > 0 || r.messages.doubled > 0))
    .map((r) => r.fault)
}
