import { villageBase } from './village.js'

/**
 * The registered villages a mistyped name most likely meant (`新村` → 新街村, `铁炉咀村` →
 * 铁炉嘴村): those whose name without suffix is fewest edits away and shares a character with
 * it, at most `limit`, best first. Empty when nothing is close. Pure.
 */
export function nearestVillages(input: string, known: readonly string[], limit = 3): string[] {
  return nearestBy(villageBase(input), known, villageBase, limit)
}

/**
 * The names a mistyped one most likely meant (`王建果` → 王建国), by the same rule as
 * nearestVillages: fewest edits, sharing a character, at most half the characters changed.
 * `candidates` may repeat a name (namesakes); each is returned once. Pure.
 */
export function nearestNames(input: string, candidates: readonly string[], limit = 3): string[] {
  return nearestBy(input.trim(), [...new Set(candidates)], (name) => name, limit)
}

function nearestBy(
  input: string,
  known: readonly string[],
  comparable: (name: string) => string,
  limit: number,
): string[] {
  const wanted = [...input]
  if (wanted.length === 0) return []
  const scored = known
    .map((name, order) => {
      const base = [...comparable(name)]
      const shared = new Set(wanted.filter((c) => base.includes(c))).size
      const distance = editDistance(wanted, base)
      return { name, order, shared, distance, longest: Math.max(wanted.length, base.length) }
    })
    // Half the characters changed is as far as a typo goes; further is another name.
    .filter((s) => s.shared > 0 && s.distance <= Math.max(1, Math.ceil(s.longest / 2)))
    .sort((a, b) => a.distance - b.distance || b.shared - a.shared || a.order - b.order)
  const best = scored[0]
  if (!best) return []
  return scored
    .filter((s) => s.distance === best.distance && s.shared === best.shared)
    .slice(0, limit)
    .map((s) => s.name)
}

/** Levenshtein distance between two strings given as arrays of code points. */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution)
    }
    previous = current
  }
  return previous[b.length]!
}
