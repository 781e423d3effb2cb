import type { RedisClient } from './redis.js'
import { FIRST_READS, READ_INDEXED_RECORDS, runScript } from './scripts.js'

/**
 * The reads a store's look-up makes, so that a look-up can run against Redis directly or be
 * gathered into a message's first round trip (ReadBatch). Only the few reads the prefetched
 * look-ups need: the village list, people by name, a config field.
 */
export interface StoreReads {
  smembers(key: string): Promise<string[]>
  /** LRANGE key 0 -1. */
  wholeList(key: string): Promise<string[]>
  hget(key: string, field: string): Promise<string | null>
  /** The members of the index SET `indexKey` with their value in `hashKey`: [id, raw, id, raw…]. */
  indexed(indexKey: string, hashKey: string): Promise<string[]>
}

/** StoreReads sent as they are asked (auto-pipelined by ioredis). */
export function directReads(redis: RedisClient): StoreReads {
  return new DirectReads(redis)
}

// A class, not an object of arrow functions: one is made per message, and tsx names each
// function it creates (esbuild's keepNames), which showed in the profile.
class DirectReads implements StoreReads {
  constructor(private readonly redis: RedisClient) {}

  smembers(key: string): Promise<string[]> {
    return this.redis.smembers(key)
  }

  wholeList(key: string): Promise<string[]> {
    return this.redis.lrange(key, 0, -1)
  }

  hget(key: string, field: string): Promise<string | null> {
    return this.redis.hget(key, field)
  }

  async indexed(indexKey: string, hashKey: string): Promise<string[]> {
    return (await runScript(this.redis, READ_INDEXED_RECORDS, [indexKey, hashKey], [])) as string[]
  }
}

type Op = { code: 'm' | 'l' | 'h' | 'i'; keys: string[]; field?: string }

/**
 * Reads asked in one turn of the event loop, answered by one script with the dispatcher's
 * redelivery claim (FIRST_READS): a visit's village list and its person by name cost no
 * commands of their own. Reads asked after `seal` go straight to Redis. When the message is
 * not claimed (a redelivery) the batch is not read and its reads reject with NotRead.
 */
export class ReadBatch implements StoreReads {
  private readonly ops: Op[] = []
  private readonly waiting: { resolve: (v: never) => void; reject: (e: unknown) => void }[] = []
  private sealed = false
  private readonly direct: StoreReads

  constructor(redis: RedisClient) {
    this.direct = new DirectReads(redis)
  }

  smembers(key: string): Promise<string[]> {
    return this.sealed ? this.direct.smembers(key) : this.ask({ code: 'm', keys: [key] })
  }

  wholeList(key: string): Promise<string[]> {
    return this.sealed ? this.direct.wholeList(key) : this.ask({ code: 'l', keys: [key] })
  }

  hget(key: string, field: string): Promise<string | null> {
    return this.sealed
      ? this.direct.hget(key, field)
      : this.ask<string | null>({ code: 'h', keys: [key], field })
  }

  indexed(indexKey: string, hashKey: string): Promise<string[]> {
    return this.sealed
      ? this.direct.indexed(indexKey, hashKey)
      : this.ask({ code: 'i', keys: [indexKey, hashKey] })
  }

  /**
   * Closes the batch: its keys (to append to the script's KEYS after `keyOffset` fixed ones)
   * and its ARGV, one op per entry (`m3`, `l4`, `h5|field`, `i6,7`, by KEYS index).
   */
  seal(keyOffset: number): { keys: string[]; args: string[] } {
    this.sealed = true
    const keys: string[] = []
    const args: string[] = []
    for (const op of this.ops) {
      let where = ''
      for (const key of op.keys) {
        let at = keys.indexOf(key)
        if (at < 0) at = keys.push(key) - 1
        where += `${where ? ',' : ''}${keyOffset + at + 1}`
      }
      args.push(op.field === undefined ? `${op.code}${where}` : `${op.code}${where}|${op.field}`)
    }
    return { keys, args }
  }

  /** Hands each read its answer, in the order asked. */
  answer(results: readonly unknown[]): void {
    for (let i = 0; i < this.waiting.length; i++) {
      const w = this.waiting[i]!
      // 0: the script could not make this read (FIRST_READS); the command reads for itself.
      if (results[i] === 0) w.reject(new Error(`batched read ${this.ops[i]!.code} failed`))
      else w.resolve((results[i] ?? null) as never)
    }
  }

  /** Fails every read of the batch (the script failed, or the message was not claimed). */
  fail(err: unknown): void {
    for (const w of this.waiting) w.reject(err)
  }

  private ask<T>(op: Op): Promise<T> {
    this.ops.push(op)
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (v: never) => void, reject })
    })
  }
}

/** Why a batch's reads were not made: the message was a redelivery, nothing to read for. */
export class NotRead extends Error {
  constructor() {
    super('not read: the message was not claimed')
    this.name = 'NotRead'
  }
}

/** What the first round trip of a message found (claimAndRead). */
export interface FirstReads {
  /** What holds the message's marker when this attempt did not claim it; null: claimed. */
  held: string | null
  role: string | null
  form: string | null
}

/**
 * Claims a message (a lease on `seenKey`) and, only when claimed, reads the sender's role
 * binding (`roleField` of `rolesKey`; none asked for a bootstrap admin), the open form at
 * `formKey` and everything asked of `batch` so far: one script, FIRST_READS. The batch's
 * reads are answered, or rejected with NotRead when the message was not claimed, or with the
 * script's error.
 */
export async function claimAndRead(
  redis: RedisClient,
  claim: {
    seenKey: string
    lease: string
    leaseMs: number
    rolesKey: string
    roleField: string | undefined
    formKey: string | undefined
  },
  batch: ReadBatch,
): Promise<FirstReads> {
  const fixedKeys = [claim.seenKey, claim.rolesKey, claim.formKey ?? claim.seenKey]
  const batched = batch.seal(fixedKeys.length)
  let reply: unknown[]
  try {
    reply = (await runScript(
      redis,
      FIRST_READS,
      [...fixedKeys, ...batched.keys],
      [
        claim.lease,
        claim.leaseMs,
        claim.roleField ?? '',
        claim.formKey ? '1' : '',
        ...batched.args,
      ],
    )) as unknown[]
  } catch (err) {
    batch.fail(err)
    throw err
  }
  const [held, role, form] = reply as [string | null, string | null, string | null]
  if (held === null) batch.answer(reply.slice(3))
  else batch.fail(new NotRead())
  return { held, role: role ?? null, form: form ?? null }
}
