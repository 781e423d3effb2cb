import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SendRateLimiter, type SendLimit } from '../../src/records/send-rate-limiter.js'
import { SEND_LIMITS } from '../../src/reminders/deliver.js'
import { useTestRedis } from '../support/redis.js'

// A scaled-down WeCom member limit: 2 a second and 3 in ten seconds.
const LIMIT: SendLimit = [
  { max: 2, windowMs: 1000 },
  { max: 3, windowMs: 10_000 },
]

describe('SendRateLimiter', () => {
  let t: Awaited<ReturnType<typeof useTestRedis>>
  let limiter: SendRateLimiter

  beforeEach(async () => {
    t = await useTestRedis()
    limiter = new SendRateLimiter(t.redis, t.keys)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const take = (member: string, at: number) => limiter.take('wecom:member:li', LIMIT, member, at)

  it('when the short window is full, says to wait until its oldest send leaves it', async () => {
    expect(await take('a', 0)).toBe(0)
    expect(await take('b', 1)).toBe(0)

    expect(await take('c', 2)).toBe(998)
  })

  it('when the short window has room but the long one is full, waits for the long one', async () => {
    await take('a', 0)
    await take('b', 1)
    expect(await take('c', 1500)).toBe(0)

    expect(await take('d', 1600)).toBe(10_000 - 1600)
    expect(await take('d', 10_001)).toBe(0)
  })

  it('when the same delivery asks again, keeps its slot instead of taking another', async () => {
    await take('a', 0)

    expect(await take('a', 5)).toBe(0)
    expect(await take('b', 6)).toBe(0)
    expect(await take('c', 7)).toBeGreaterThan(0)
  })

  it('limits WeCom members to 30 a minute and 1000 an hour, as WeCom drops the excess', () => {
    expect(SEND_LIMITS.wecomMember).toEqual([
      { max: 30, windowMs: 60_000 },
      { max: 1000, windowMs: 3_600_000 },
    ])
  })
})
