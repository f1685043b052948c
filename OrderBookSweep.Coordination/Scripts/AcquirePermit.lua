-- The global semaphore (all the permit scripts). Data structure: holders is a zset of permit
-- tokens scored by lease expiry (server ms), with a hash of holder info (JSON) beside it; waiters
-- is a zset of tokens scored by arrival (server ms), with a second zset of waiter expiries so a
-- waiter that died loses its place. The cap is not stored: every caller passes the same
-- configured one.
-- Invariants: expired holders and waiters are purged before anything is counted, so a dead
-- holder's permit is free once its lease expires; a permit is granted only while
-- ZCARD(holders) < cap AND the caller is among the first (cap - holders) live waiters, so waiters
-- are served in arrival order; every release (and every purge that frees a permit while others
-- wait) publishes a wake-up, so the next waiter retries at once.
--
-- This script: grants a permit to @token, or queues it as a waiter.
-- Returns {1, now, leaseExpiry} when granted, else {0, now, 0} (the caller stays queued).
local token, leaseMs, cap, waiterTtlMs = @token, tonumber(@leaseMs), tonumber(@cap), tonumber(@waiterTtlMs)
local lapsed = redis.call('ZRANGEBYSCORE', @holders, '-inf', '(' .. ms(now))
for _, h in ipairs(lapsed) do
  redis.call('ZREM', @holders, h)
  redis.call('HDEL', @holderInfo, h)
end
for _, w in ipairs(redis.call('ZRANGEBYSCORE', @waiterExpiry, '-inf', '(' .. ms(now))) do
  redis.call('ZREM', @waiters, w)
  redis.call('ZREM', @waiterExpiry, w)
end
local held = redis.call('ZSCORE', @holders, token)
if held then return {1, ms(now), held} end
if not redis.call('ZSCORE', @waiters, token) then redis.call('ZADD', @waiters, ms(now), token) end
local free = cap - redis.call('ZCARD', @holders)
if free > 0 and redis.call('ZRANK', @waiters, token) < free then
  redis.call('ZREM', @waiters, token)
  redis.call('ZREM', @waiterExpiry, token)
  redis.call('ZADD', @holders, ms(now + leaseMs), token)
  redis.call('HSET', @holderInfo, token,
    '{"v":' .. FORMAT_VERSION .. ',"holderId":"' .. @holderId .. '","exchange":"' .. @exchange .. '","since":' .. ms(now) .. '}')
  return {1, ms(now), ms(now + leaseMs)}
end
redis.call('ZADD', @waiterExpiry, ms(now + waiterTtlMs), token)
if #lapsed > 0 and free > 0 then redis.call('PUBLISH', @wakeChannel, 'lapsed') end
return {0, ms(now), '0'}
