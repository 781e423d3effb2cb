import type { StoreReads } from './reads.js'
import { RecordWriter, type RecordDeps } from './record-writer.js'
import { villageNameSchema, type WriteMeta } from './schemas.js'
import { readVillagesInOrder } from './village-order.js'
import { WritePlan } from './write-plan.js'

/** Signals inside addVillage that another write registered the village first. */
class VillageExistsSignal extends Error {
  constructor() {
    super('village already registered')
    this.name = 'VillageExistsSignal'
  }
}

/**
 * The township's villages and communities (行政村/社区), by full name with suffix. People,
 * visits and payments may only name a registered village, so typos never open a new one.
 */
export class VillageStore {
  private readonly writer: RecordWriter

  constructor(private readonly deps: RecordDeps) {
    this.writer = new RecordWriter(deps)
  }

  /**
   * Registers `name` (must end in 村 or 社区; throws a ZodError otherwise). `created` is false
   * when it was registered already; the audit log records who added it.
   */
  async addVillage(name: string, meta: WriteMeta): Promise<{ village: string; created: boolean }> {
    const village = villageNameSchema.parse(name)
    const { keys } = this.deps
    try {
      const outcome = await this.writer.write(meta, async () => {
        const plan = new WritePlan(0, `village|${village}`)
          .requireMember(keys.villages(), village, false, () => new VillageExistsSignal())
          .sadd(keys.villages(), village)
          // The township's order is the order villages are added: every list follows it.
          .rpush(keys.villageOrder(), village)
        return { plan, action: 'village.add', after: JSON.stringify({ village }) }
      })
      return { village, created: outcome?.status === 'applied' }
    } catch (err) {
      if (err instanceof VillageExistsSignal) return { village, created: false }
      throw err
    }
  }

  /** Every registered village, in the township's order (the order they were added). */
  async listVillages(reads?: StoreReads): Promise<string[]> {
    return readVillagesInOrder(this.deps.redis, this.deps.keys, reads)
  }

  /** True when `name` is registered. */
  async hasVillage(name: string): Promise<boolean> {
    const { redis, keys } = this.deps
    return (await redis.sismember(keys.villages(), name)) === 1
  }
}
