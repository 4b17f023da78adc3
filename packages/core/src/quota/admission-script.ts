import { redisScript } from "../redis/run-script.ts";

/*
 * Admission in atomic Redis scripts: check every limit of every scope (the
 * key, its tenant) and take them all, or take nothing; settle a request to
 * what it used; seed a budget's counter from the ledger.
 *
 * KEYS: per scope, 7 keys in this order (all of a tenant share one hash tag):
 *   log (ZSET requestId -> admitted at, ms: requests and tokens of the last minute)
 *   tokens (HASH requestId -> tokens reserved, plus "sum")
 *   day (STRING requests today, UTC)
 *   inflight (ZSET requestId -> lease expiry, ms)
 *   budget (STRING micro-units spent or reserved this period; only for a scope with a budget)
 *   reservations (HASH requestId -> "budget key|micro-units reserved", or "settled" once settled;
 *     and "!<budget key>" -> "1" once that counter was seeded from the ledger)
 *   reservation leases (ZSET requestId -> lease expiry, ms)
 */

/**
 * Numbers leave Lua as integers in plain digits: Redis formats a Lua number
 * with %.14g, which turns -0 into "-0" and 1e15 into "1e+15", and its
 * integer commands refuse both.
 */
const INT = `
local function int(x) return string.format('%d', x) end
local function seededField(counter) return '!' .. counter end
`;

/**
 * The clock, the arguments admission and usage share, and the sweep of
 * expired entries. ARGV: requestId, tokens, costMicros, leaseMs,
 * dayTtlSeconds, budgetTtlSeconds, scopeCount, now (ms; empty for Redis's
 * own clock), force (1: take without checking, to restore a reservation),
 * then per scope: rpm, tpm, rpd, concurrent, budgetMicros (each -1 for none).
 */
const SWEEP = `${INT}
local now = tonumber(ARGV[8])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local requestId = ARGV[1]
local tokens = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local leaseMs = tonumber(ARGV[4])
local dayTtl = tonumber(ARGV[5])
local budgetTtl = tonumber(ARGV[6])
local scopes = tonumber(ARGV[7])
local force = ARGV[9] == '1'
local used = {}

local function sweep(s)
  local base = (s - 1) * 7
  local log, toks, inflight, resv, leases = KEYS[base + 1], KEYS[base + 2], KEYS[base + 4], KEYS[base + 6], KEYS[base + 7]
  -- Requests older than a minute leave the window, with their tokens.
  local old = redis.call('ZRANGEBYSCORE', log, '-inf', int(now - 60000))
  for _, id in ipairs(old) do
    local amount = tonumber(redis.call('HGET', toks, id) or '0')
    if amount ~= 0 then redis.call('HINCRBY', toks, 'sum', int(-amount)) end
    redis.call('HDEL', toks, id)
  end
  if #old > 0 then redis.call('ZREMRANGEBYSCORE', log, '-inf', int(now - 60000)) end
  -- Leases of requests that vanished (no settlement) run out; so do the marks of settled ones.
  redis.call('ZREMRANGEBYSCORE', inflight, '-inf', int(now))
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', int(now))
  for _, id in ipairs(expired) do
    local entry = redis.call('HGET', resv, id)
    local sep = entry and string.find(entry, '|', 1, true)
    if sep then
      local key, amount = string.sub(entry, 1, sep - 1), tonumber(string.sub(entry, sep + 1))
      if redis.call('EXISTS', key) == 1 then redis.call('DECRBY', key, int(amount)) end
    end
    redis.call('HDEL', resv, id)
  end
  if #expired > 0 then redis.call('ZREMRANGEBYSCORE', leases, '-inf', int(now)) end
end

`;

/**
 * Returns {admitted (1), 0, '', 0, then per scope: requests in the last
 * minute, tokens in the last minute, requests today, in flight, budget
 * used, ms until the oldest request of the minute leaves it}; or
 * {0, failedScope, failedLimit, retryAfterMs, that scope's six figures};
 * or {2, scope, 'unseeded', 0, …} when a scope's budget counter has not
 * been seeded from the ledger yet (first use in this Redis, or Redis lost
 * its data): the caller seeds it and asks again.
 */
export const ADMIT_SCRIPT = redisScript(
  "admit",
  `${SWEEP}
for s = 1, scopes do
  sweep(s)
  local base = (s - 1) * 7
  local a = 9 + (s - 1) * 5
  local rpm, tpm, rpd, conc, budget = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  local count = redis.call('ZCARD', KEYS[base + 1])
  local tokenSum = tonumber(redis.call('HGET', KEYS[base + 2], 'sum') or '0')
  local today = tonumber(redis.call('GET', KEYS[base + 3]) or '0')
  local inflight = redis.call('ZCARD', KEYS[base + 4])
  local spent = tonumber(redis.call('GET', KEYS[base + 5]) or '0')
  local first = redis.call('ZRANGE', KEYS[base + 1], 0, 0, 'WITHSCORES')
  local oldest = 60000
  if first[2] then oldest = math.max(1, tonumber(first[2]) + 60000 - now) end
  used[s] = {count, tokenSum, today, inflight, spent, oldest}
  if not force then
    if rpm >= 0 and count + 1 > rpm then return {0, s, 'rpm', oldest, unpack(used[s])} end
    if tpm >= 0 and tokenSum + tokens > tpm then return {0, s, 'tpm', oldest, unpack(used[s])} end
    if rpd >= 0 and today + 1 > rpd then return {0, s, 'rpd', redis.call('PTTL', KEYS[base + 3]), unpack(used[s])} end
    if conc >= 0 and inflight + 1 > conc then return {0, s, 'concurrent', 1000, unpack(used[s])} end
    if budget >= 0 and redis.call('HEXISTS', KEYS[base + 6], seededField(KEYS[base + 5])) == 0 then
      return {2, s, 'unseeded', 0, unpack(used[s])}
    end
    if budget >= 0 and spent + cost > budget then return {0, s, 'budget', redis.call('PTTL', KEYS[base + 5]), unpack(used[s])} end
  end
end

local result = {1, 0, '', 0}
for s = 1, scopes do
  local base = (s - 1) * 7
  local budget = tonumber(ARGV[9 + (s - 1) * 5 + 5])
  redis.call('ZADD', KEYS[base + 1], int(now), requestId)
  redis.call('HSET', KEYS[base + 2], requestId, int(tokens))
  redis.call('HINCRBY', KEYS[base + 2], 'sum', int(tokens))
  redis.call('PEXPIRE', KEYS[base + 1], 120000)
  redis.call('PEXPIRE', KEYS[base + 2], 120000)
  redis.call('INCR', KEYS[base + 3])
  if redis.call('TTL', KEYS[base + 3]) < 0 then redis.call('EXPIRE', KEYS[base + 3], int(dayTtl)) end
  redis.call('ZADD', KEYS[base + 4], int(now + leaseMs), requestId)
  redis.call('PEXPIRE', KEYS[base + 4], int(leaseMs * 2))
  local reserved = 0
  if budget >= 0 then
    reserved = cost
    redis.call('INCRBY', KEYS[base + 5], int(cost))
    if redis.call('TTL', KEYS[base + 5]) < 0 then redis.call('EXPIRE', KEYS[base + 5], int(budgetTtl)) end
    redis.call('HSET', KEYS[base + 6], requestId, KEYS[base + 5] .. '|' .. int(cost))
    redis.call('ZADD', KEYS[base + 7], int(now + leaseMs), requestId)
    redis.call('PEXPIRE', KEYS[base + 6], int(math.max(leaseMs * 2, budgetTtl * 1000)))
    redis.call('PEXPIRE', KEYS[base + 7], int(math.max(leaseMs * 2, budgetTtl * 1000)))
  end
  local u = used[s]
  table.insert(result, u[1] + 1)
  table.insert(result, u[2] + tokens)
  table.insert(result, u[3] + 1)
  table.insert(result, u[4] + 1)
  table.insert(result, u[5] + reserved)
  table.insert(result, u[6])
end
return result`,
);

/**
 * Settles a request in every scope: its tokens and cost become the real
 * ones, its lease ends, and its reservation is marked settled (the mark
 * runs out with the reservation's lease). A reservation that is gone (its
 * lease ran out first, or Redis lost it) is charged the real cost now, on a
 * seeded counter: the request's cost is in no counter yet. A second
 * settlement finds the mark and changes nothing.
 * KEYS as for admission; ARGV: requestId, tokens, costMicros, scopeCount,
 * now (ms; empty for Redis's own clock), leaseMs, then per scope: 1 if it
 * had a budget when admitted, else 0. Returns how many scopes were settled.
 */
export const SETTLE_SCRIPT = redisScript(
  "settle",
  `${INT}
local requestId = ARGV[1]
local tokens = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[5])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local leaseMs = tonumber(ARGV[6])
local settled = 0
for s = 1, tonumber(ARGV[4]) do
  local base = (s - 1) * 7
  local reserved = redis.call('HGET', KEYS[base + 2], requestId)
  if reserved then
    redis.call('HSET', KEYS[base + 2], requestId, int(tokens))
    redis.call('HINCRBY', KEYS[base + 2], 'sum', int(tokens - tonumber(reserved)))
  end
  redis.call('ZREM', KEYS[base + 4], requestId)
  if ARGV[6 + s] == '1' then
    local entry = redis.call('HGET', KEYS[base + 6], requestId)
    local sep = entry and string.find(entry, '|', 1, true)
    if sep then
      local key, amount = string.sub(entry, 1, sep - 1), tonumber(string.sub(entry, sep + 1))
      if redis.call('EXISTS', key) == 1 then redis.call('INCRBY', key, int(cost - amount)) end
      redis.call('HSET', KEYS[base + 6], requestId, 'settled')
      settled = settled + 1
    elseif not entry then
      local key = KEYS[base + 5]
      if redis.call('HEXISTS', KEYS[base + 6], seededField(key)) == 1 then redis.call('INCRBY', key, int(cost)) end
      redis.call('HSET', KEYS[base + 6], requestId, 'settled')
      redis.call('ZADD', KEYS[base + 7], int(now + leaseMs), requestId)
      settled = settled + 1
    end
  end
end
return settled`,
);

/**
 * Seeds (or reconciles) a budget's counter from the ledger: it becomes at
 * least what the ledger holds for its period plus what is reserved on it
 * now (requests in flight, not in the ledger yet), and is marked seeded.
 * Never lowered: spend settled but not yet written to the ledger is in it.
 * KEYS: budget counter, reservations. ARGV: ledger micro-units, budget TTL
 * (seconds), reservations TTL (ms). Returns the counter.
 */
export const SEED_SCRIPT = redisScript(
  "seed-budget",
  `${INT}
local counter, resv = KEYS[1], KEYS[2]
local floor = tonumber(ARGV[1])
local entries = redis.call('HGETALL', resv)
for i = 1, #entries, 2 do
  local value = entries[i + 1]
  local sep = string.find(value, '|', 1, true)
  if sep and string.sub(value, 1, sep - 1) == counter then floor = floor + tonumber(string.sub(value, sep + 1)) end
end
local current = tonumber(redis.call('GET', counter) or '0')
if current < floor then redis.call('SET', counter, int(floor), 'KEEPTTL') end
if redis.call('TTL', counter) < 0 then redis.call('EXPIRE', counter, int(ARGV[2])) end
redis.call('HSET', resv, seededField(counter), '1')
if redis.call('PTTL', resv) < tonumber(ARGV[3]) then redis.call('PEXPIRE', resv, int(ARGV[3])) end
return int(math.max(current, floor))`,
);

/**
 * A scope's use right now, without taking anything (after the same sweep).
 * KEYS as for admission; ARGV as for admission (request fields unused).
 * Returns per scope the same six figures as admission.
 */
export const USAGE_SCRIPT = redisScript(
  "usage",
  `${SWEEP}
local result = {}
for s = 1, scopes do
  sweep(s)
  local base = (s - 1) * 7
  local first = redis.call('ZRANGE', KEYS[base + 1], 0, 0, 'WITHSCORES')
  local oldest = 60000
  if first[2] then oldest = math.max(1, tonumber(first[2]) + 60000 - now) end
  table.insert(result, redis.call('ZCARD', KEYS[base + 1]))
  table.insert(result, tonumber(redis.call('HGET', KEYS[base + 2], 'sum') or '0'))
  table.insert(result, tonumber(redis.call('GET', KEYS[base + 3]) or '0'))
  table.insert(result, redis.call('ZCARD', KEYS[base + 4]))
  table.insert(result, tonumber(redis.call('GET', KEYS[base + 5]) or '0'))
  table.insert(result, oldest)
end
return result`,
);
