import { writeFileSync } from 'node:fs'
import { Session, type Profiler } from 'node:inspector/promises'
import { benchWecomPathProfiled } from './wecom-path.js'

/**
 * `npx tsx test/bench/profile-path.ts visit|payment`: loads the WeCom write path as the bench
 * does, under V8's sampling profiler, then prints where the busy time went, attributed to the
 * nearest frame in src/ (a library's time counts for the code that called it), and writes the
 * profile to /tmp/profile-<path>.cpuprofile for Chrome DevTools. Shares are of busy samples,
 * so they hold on a noisy machine better than req/s do (docs/performance.md).
 */
const path = process.argv[2] === 'payment' ? 'payment' : 'visit'
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.setSamplingInterval', { interval: 250 })
let profile: Profiler.Profile | undefined
const line = await benchWecomPathProfiled(path, seconds, {
  start: () => session.post('Profiler.start'),
  stop: async () => {
    profile = (await session.post('Profiler.stop')).profile
  },
})
const file = `/tmp/profile-${path}.cpuprofile`
writeFileSync(file, JSON.stringify(profile))
console.log(line)
for (const [where, share] of busyBySource(profile!).slice(0, 40)) {
  console.log(`${(share * 100).toFixed(1).padStart(5)}%  ${where}`)
}
console.log(`profile: ${file}`)
process.exit(0)

/** Busy samples per nearest src/ function (or the runtime's own frame), largest first. */
function busyBySource(p: Profiler.Profile): [string, number][] {
  const nodes = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const child of n.children ?? []) parent.set(child, n.id)
  const shares = new Map<string, number>()
  let busy = 0
  for (const id of p.samples ?? []) {
    const leaf = nodes.get(id)!
    if (leaf.callFrame.functionName === '(idle)') continue
    busy++
    let where: string | undefined
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at)!.callFrame
      const src = frame.url.indexOf('/src/')
      if (src >= 0) {
        where = `${frame.url.slice(src + 1)} ${frame.functionName || '(anonymous)'}`
        break
      }
    }
    where ??= `(outside src) ${leaf.callFrame.functionName || leaf.callFrame.url}`
    shares.set(where, (shares.get(where) ?? 0) + 1)
  }
  return [...shares].map(([k, v]) => [k, v / busy] as [string, number]).sort((a, b) => b[1] - a[1])
}
