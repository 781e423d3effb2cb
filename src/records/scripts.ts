import { createHash } from 'node:crypto'
import type { RedisClient } from './redis.js'
import { CATEGORIES } from './schemas.js'

/**
 * The Lua scripts of the record store. Plans are built in TypeScript (write-plan.ts) and
 * checked and applied here atomically, so every write kind shares one audited, idempotent
 * path and Lua never needs to understand a record.
 */

/**
 * Lists of field ends a write's reads name often, written into APPLY_WRITE itself: a visit reads
 * its village's counters by category twice, and sending the twelve category names each time was
 * a third of its plan's JSON (encoded, written to the socket and decoded by cjson per visit). A
 * read names one by its number (1-based).
 */
export const SHARED_ENDS: readonly (readonly string[])[] = [CATEGORIES]

function luaList(items: readonly string[]): string {
  // JSON's string escapes are Lua's for these (quotes, backslashes, UTF-8 passed through).
  return `{${items.map((item) => JSON.stringify(item)).join(', ')}}`
}

/** Number of fixed KEYS of APPLY_WRITE before the plan's own keys. */
export const APPLY_WRITE_FIXED_KEYS = 6

/**
 * Applies one write plan: idempotency check, guards, record, indexes, counters, audit entry.
 *
 * KEYS[1] record id counter (STRING)      KEYS[2] records (HASH id → stored JSON)
 * KEYS[3] audit (STREAM)                   KEYS[4] idempotency markers of meta.at's generation (HASH)
 * KEYS[5], KEYS[6] the previous and the next generation (only checked)
 * KEYS[7..] the keys the plan's guards and ops name by index
 * ARGV[1] idempotency key   ARGV[2] marker TTL in seconds   ARGV[3] actor   ARGV[4] at (ISO)
 * ARGV[5] action            ARGV[6] stored JSON before ('' none)
 * ARGV[7] stored JSON after (written to KEYS[2] unless the plan's id is '0'; '' none)
 * ARGV[8] plan JSON { id = 'new' | '<n>' | '0', subject, cas, guards, ops }:
 *   guards: {'hget', k, field, expected or false} | {'hsha', k, field, SHA-1 of the value}
 *           | {'sismember', k, member, 0 or 1}
 *   ops:    {'hincrby', k, field, n} (field deleted at 0) | {'sadd'|'srem', k, member}
 *           | {'hset', k, field, value} | {'hdel', k, field} | {'rpush', k, value}
 *           | {'ltrim', k, start, stop}
 *           | {'mark', k, field, ±1, counterK, counterField}: HINCRBY a membership count and,
 *             when it crosses zero, move counterField by the same ±1 (distinct households)
 *   cas: KEYS[2][id] must still equal ARGV[6]. '$id' in a field, member or value is replaced
 *   by the record id ('new' allocates it with INCR KEYS[1]).
 *   reads (optional), once the write is done: {'f', k, prefix, {end…} or n} HMGET of
 *   prefix..end for each end (n: the ends of SHARED_ENDS[n]), one value each; or {'m', setK, hashK, codes}: for each code, how many members
 *   of the set have field '<member>.<code>' in the hash, answered as one value 'c0,c1,…'.
 * ARGV[9] the message's final-marker TTL in seconds, or '' when the write completes no
 *   message; with a TTL, KEYS[#KEYS] is the message's redelivery marker, made final as
 *   'W<record id>' (COMMITTED_PREFIX in message-commits.ts) whether the write applies or is
 *   a repeat, so the marker is final exactly when the message's work is committed
 *   (docs/delivery.md).
 * Returns {1, id, after, values of reads (false = absent)} applied
 *   | {0, id, stored JSON or false} idempotency key seen before
 *   | {-1, n} guard n failed (0 = the record changed since it was read; nothing written).
 */
export const APPLY_WRITE = `
local SHARED_ENDS = {${SHARED_ENDS.map(luaList).join(', ')}}
local idem = ARGV[1]
local function finalize(recordId)
  if ARGV[9] and ARGV[9] ~= '' then
    redis.call('SET', KEYS[#KEYS], 'W' .. recordId, 'EX', tonumber(ARGV[9]))
  end
end
for i = 4, 6 do
  local seen = redis.call('HGET', KEYS[i], idem)
  if seen then
    finalize(seen)
    local stored = false
    if seen ~= '0' then stored = redis.call('HGET', KEYS[2], seen) end
    return {0, tonumber(seen), stored}
  end
end

local plan = cjson.decode(ARGV[8])
local id = plan.id
if plan.cas then
  local current = redis.call('HGET', KEYS[2], id)
  if current ~= ARGV[6] then return {-1, 0} end
end
for i, g in ipairs(plan.guards) do
  local key = KEYS[g[2]]
  if g[1] == 'hget' then
    if redis.call('HGET', key, g[3]) ~= g[4] then return {-1, i} end
  elseif g[1] == 'hsha' then
    local value = redis.call('HGET', key, g[3])
    if not value or redis.sha1hex(value) ~= g[4] then return {-1, i} end
  elseif g[1] == 'sismember' then
    if redis.call('SISMEMBER', key, g[3]) ~= g[4] then return {-1, i} end
  else
    return redis.error_reply('unknown guard ' .. tostring(g[1]))
  end
end

if id == 'new' then id = tostring(redis.call('INCR', KEYS[1])) end
local function sub(s)
  if s == '$id' then return id end
  return s
end

for _, op in ipairs(plan.ops) do
  local name, key = op[1], KEYS[op[2]]
  if name == 'hincrby' then
    if redis.call('HINCRBY', key, op[3], op[4]) == 0 then redis.call('HDEL', key, op[3]) end
  elseif name == 'mark' then
    local delta = tonumber(op[4])
    local after = redis.call('HINCRBY', key, sub(op[3]), delta)
    local before = after - delta
    local move = 0
    if before <= 0 and after > 0 then move = 1 elseif before > 0 and after <= 0 then move = -1 end
    if after == 0 then redis.call('HDEL', key, sub(op[3])) end
    if move ~= 0 then
      local counter = KEYS[op[5]]
      if redis.call('HINCRBY', counter, op[6], move) == 0 then redis.call('HDEL', counter, op[6]) end
    end
  elseif name == 'sadd' then
    redis.call('SADD', key, sub(op[3]))
  elseif name == 'srem' then
    redis.call('SREM', key, sub(op[3]))
  elseif name == 'hset' then
    redis.call('HSET', key, sub(op[3]), sub(op[4]))
  elseif name == 'hdel' then
    redis.call('HDEL', key, sub(op[3]))
  elseif name == 'rpush' then
    redis.call('RPUSH', key, sub(op[3]))
  elseif name == 'ltrim' then
    redis.call('LTRIM', key, tonumber(op[3]), tonumber(op[4]))
  else
    return redis.error_reply('unknown op ' .. tostring(name))
  end
end

if id ~= '0' and ARGV[7] ~= '' then redis.call('HSET', KEYS[2], id, ARGV[7]) end
local subject = id
if plan.subject then subject = plan.subject end
redis.call('XADD', KEYS[3], '*', 'actor', ARGV[3], 'at', ARGV[4], 'action', ARGV[5],
  'record', subject, 'before', ARGV[6], 'after', ARGV[7])
redis.call('HSET', KEYS[4], idem, id)
redis.call('EXPIRE', KEYS[4], tonumber(ARGV[2]))
finalize(id)
local reads = {}
for _, r in ipairs(plan.reads or {}) do
  if r[1] == 'm' then
    local counts = {}
    for c = 1, r[4] do counts[c] = 0 end
    for _, member in ipairs(redis.call('SMEMBERS', KEYS[r[2]])) do
      for c = 1, r[4] do
        if redis.call('HEXISTS', KEYS[r[3]], member .. '.' .. (c - 1)) == 1 then
          counts[c] = counts[c] + 1
        end
      end
    end
    reads[#reads + 1] = table.concat(counts, ',')
  else
    local fields = {}
    local ends = r[4]
    if type(ends) == 'number' then ends = SHARED_ENDS[ends] end
    for j, ending in ipairs(ends) do fields[j] = r[3] .. ending end
    if #fields > 0 then
      for _, value in ipairs(redis.call('HMGET', KEYS[r[2]], unpack(fields))) do
        reads[#reads + 1] = value
      end
    end
  end
end
return {1, tonumber(id), ARGV[7], reads}
`

/**
 * Replaces counter hashes, index sets and authors' lists with recounted contents, unless any
 * write happened since the recount began (the audit stream is the store's write clock).
 *
 * KEYS[1] audit (STREAM)   KEYS[2..] the keys to replace, in ARGV[2]'s order
 * ARGV[1] id of the last audit entry when the recount began ('0-0' when empty)
 * ARGV[2] JSON array, one per KEYS[i+1]: {'hash', field, value, …} | {'set', member, …} |
 *         {'list', item, …} (in order)
 * Returns 1 replaced | 0 the store was written meanwhile (nothing replaced).
 */
export const REPLACE_COUNTERS = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local lastId = '0-0'
if last[1] then lastId = last[1][1] end
if lastId ~= ARGV[1] then return 0 end
local contents = cjson.decode(ARGV[2])
for i, c in ipairs(contents) do
  local key = KEYS[i + 1]
  redis.call('DEL', key)
  local n = #c
  local j = 2
  while j <= n do
    local stop = math.min(n, j + 999)
    if c[1] == 'hash' then
      redis.call('HSET', key, unpack(c, j, stop))
    elseif c[1] == 'list' then
      redis.call('RPUSH', key, unpack(c, j, stop))
    else
      redis.call('SADD', key, unpack(c, j, stop))
    end
    j = stop + 1
  end
end
return 1
`

/**
 * Reads whole counter hashes as one JSON string each. Why: a tally's hashes hold hundreds of
 * fields, and turning that many bulk strings into a JS object costs ioredis about 1 ms per
 * hash, while one JSON string parses in tens of microseconds (measured; see tally-reader.ts).
 *
 * KEYS[1..n] counter hashes   ARGV none
 * Returns an array of n JSON strings, each the flat HGETALL array `[field, value, …]`.
 */
export const READ_HASHES_AS_JSON = `
local out = {}
for i, key in ipairs(KEYS) do
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then out[i] = '[]' else out[i] = cjson.encode(flat) end
end
return out
`

// The records an index SET names, paged HMGETs: [id, stored JSON, …] for the ids that have one.
const INDEXED_FUNCTION = `
local function indexed(indexKey, recordsKey)
  local ids = redis.call('SMEMBERS', indexKey)
  local out = {}
  for i = 1, #ids, 500 do
    local page = {}
    for j = i, math.min(#ids, i + 499) do page[#page + 1] = ids[j] end
    local raws = redis.call('HMGET', recordsKey, unpack(page))
    for j, raw in ipairs(raws) do
      if raw then
        out[#out + 1] = page[j]
        out[#out + 1] = raw
      end
    end
  end
  return out
end
`

/**
 * Reads the records an index set names, in one round trip instead of SMEMBERS then HMGET.
 *
 * KEYS[1] index (SET of record ids)   KEYS[2] records (HASH id → stored JSON)
 * Returns the flat array `[id, stored JSON, …]` of the ids that have a record.
 */
export const READ_INDEXED_RECORDS = `${INDEXED_FUNCTION}
return indexed(KEYS[1], KEYS[2])
`

/**
 * Reads the records the day sets of a run of days name (keys.visitsOnDate, paymentsOnDate),
 * with the day index's ready marker, in one round trip: one SMEMBERS a day (31 for a month)
 * and their HMGETs inside the script.
 *
 * KEYS[1] records (HASH id → stored JSON)   KEYS[2] the ready marker (STRING)
 * KEYS[3..] the day sets (SET of record ids)   ARGV none
 * Returns {marker or false, {id, stored JSON, …}}: every day's ids that have a record, in
 * KEYS order.
 */
export const READ_DAY_RECORDS = `${INDEXED_FUNCTION}
local out = {}
for i = 3, #KEYS do
  for _, v in ipairs(indexed(KEYS[i], KEYS[1])) do out[#out + 1] = v end
end
return {redis.call('GET', KEYS[2]), out}
`

/**
 * The first round trip of a message, in one script rather than a command per read (each
 * command costs the Node process more than its answer): claim the message with a lease (SET NX
 * PX, GET answers what held it), and only when claimed read the sender's role binding, any
 * open form and the command's prefetched reads (a ReadBatch, reads.ts).
 *
 * KEYS: seen marker, roles hash, form key, then the batch's keys. ARGV: lease, lease ms, the
 * role field ('' = do not read: a bootstrap admin), '1' to read the form, then one entry per
 * batched read: `m<k>` SMEMBERS, `l<k>` LRANGE 0 -1, `h<k>|<field>` HGET, `i<k>,<k2>` the
 * records index k names in hash k2 (k: KEYS index).
 * Answers [held, role, form, read…], nil for none and 0 for a read that failed; only [held]
 * when not claimed.
 */
export const FIRST_READS = `${INDEXED_FUNCTION}
local held = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX', 'GET')
if held then return {held} end
local out = {false, false, false}
if ARGV[3] ~= '' then out[2] = redis.call('HGET', KEYS[2], ARGV[3]) end
if ARGV[4] == '1' then out[3] = redis.call('GET', KEYS[3]) end
-- A read that fails (a key of another type) answers 0 in its place, so it costs only the
-- command its prefetch: the claim above is taken either way.
local function read(op)
  local code = string.sub(op, 1, 1)
  local bar = string.find(op, '|', 2, true)
  local where = string.sub(op, 2, (bar or 0) - 1)
  if code == 'm' then return redis.call('SMEMBERS', KEYS[tonumber(where)]) end
  if code == 'l' then return redis.call('LRANGE', KEYS[tonumber(where)], 0, -1) end
  if code == 'h' then return redis.call('HGET', KEYS[tonumber(where)], string.sub(op, bar + 1)) end
  if code == 'i' then
    local a, b = string.match(where, '^(%d+),(%d+)$')
    return indexed(KEYS[tonumber(a)], KEYS[tonumber(b)])
  end
  error('unknown read ' .. op)
end
for i = 5, #ARGV do
  local ok, value = pcall(read, ARGV[i])
  if ok then out[#out + 1] = value else out[#out + 1] = 0 end
end
return out
`

/**
 * Gives back a message's lease after a failed attempt; a final marker, or another
 * attempt's lease, stays (docs/delivery.md).
 *
 * KEYS[1] the message's redelivery marker   ARGV[1] this attempt's lease value
 * Returns 1 released | 0 the marker is not this lease.
 */
export const RELEASE_CLAIM = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

const shas = new Map<string, string>()
function shaOf(lua: string): string {
  let sha = shas.get(lua)
  if (!sha) {
    sha = createHash('sha1').update(lua).digest('hex')
    shas.set(lua, sha)
  }
  return sha
}

/**
 * Runs `lua` by its SHA, loading it with EVAL when the server does not know it yet (after a
 * restart or on a new Cluster node). Every key must be in `keys` (Cluster routes by them).
 */
export async function runScript(
  redis: RedisClient,
  lua: string,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(shaOf(lua), keys.length, ...keys, ...args)
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
    return await redis.eval(lua, keys.length, ...keys, ...args)
  }
}
