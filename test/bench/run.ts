import { benchCampaignEnqueue, benchDispatchSandbox } from './campaign.js'
import { benchRoundTrips } from './round-trips.js'
import { benchTally } from './tally.js'
import { benchVisitMemory } from './visit-memory.js'
import {
  benchWecomHelp,
  benchWecomPayment,
  benchWecomProtocolFloor,
  benchWecomVisit,
  benchWritePathsVsMinimalFloor,
} from './wecom-path.js'

/**
 * `npm run bench [-- name…]`: each benchmark measures its baseline in the same run (the
 * machine is shared and noisy) and prints `bench <name>: <figure> (<baseline>, ratio <r>)`.
 * BENCH_SECONDS sets the length of each HTTP load (default 5).
 */
const benches: Record<string, (seconds: number) => Promise<string[]>> = {
  'round-trips': benchRoundTrips,
  'wecom-protocol-floor': benchWecomProtocolFloor,
  'wecom-help-path': benchWecomHelp,
  'wecom-visit-write-path': benchWecomVisit,
  'wecom-payment-write-path': benchWecomPayment,
  'wecom-vs-minimal-floor': benchWritePathsVsMinimalFloor,
  'visit-memory': benchVisitMemory,
  'campaign-enqueue-100k': benchCampaignEnqueue,
  'dispatch-sandbox': benchDispatchSandbox,
  tally: benchTally,
}

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const wanted = process.argv.slice(2)
for (const [name, bench] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  for (const line of await bench(seconds)) console.log(line)
}
process.exit(0)
