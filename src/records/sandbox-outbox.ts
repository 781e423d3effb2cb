import { z } from 'zod'
import { replyLayoutSchema } from '../replies/layout.js'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'

const entrySchema = z.object({
  chatId: z.string(),
  isGroup: z.boolean(),
  text: z.string(),
  markdown: z.boolean(),
  layout: replyLayoutSchema.optional(),
  at: z.string(),
})
type Entry = z.infer<typeof entrySchema>

/** The newest pushes are kept; the sandbox is a demo and test surface, not an archive. */
const KEEP = 1000
const TRIM_SLACK = 100

/** Sandbox pushes in a capped Redis list, newest first (satisfies platforms' Outbox). */
export class RedisOutbox {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async push(entry: Entry): Promise<void> {
    const key = this.keys.sandboxOutbox()
    // Trimmed only once it has grown a little past KEEP: one command per push instead of a
    // MULTI of four, on the delivery path every reminder takes.
    const length = await this.redis.lpush(key, JSON.stringify(entry))
    if (length > KEEP + TRIM_SLACK) await this.redis.ltrim(key, 0, KEEP - 1)
  }

  async list(limit: number): Promise<Entry[]> {
    const raw = await this.redis.lrange(this.keys.sandboxOutbox(), 0, Math.max(0, limit - 1))
    return raw.map((r) => entrySchema.parse(JSON.parse(r)))
  }
}
