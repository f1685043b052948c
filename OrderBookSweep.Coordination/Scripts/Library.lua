-- Shared by every script, which it is prepended to (after the constants the C# side generates
-- from its enums: STATE_*, OUTCOME_*, FORMAT_VERSION).
--
-- Every expiry is computed from the server's clock (TIME), never a client's: clients' clocks
-- differ, and the server's is the one the leases are compared with.

-- now: server milliseconds. ms(x): an integer as a string, for scores and fields.
local serverTime = redis.call('TIME')
local now = tonumber(serverTime[1]) * 1000 + math.floor(tonumber(serverTime[2]) / 1000)
local function ms(x) return string.format('%d', x) end

-- holds(leasesKey, infoKey, jobId, token): the fence of every write a worker makes for a job.
-- True only while the lease info names this token AND the lease has not expired: once expired,
-- any claimer may requeue the job, so the old holder's writes are refused even if nobody has
-- taken the job over yet.
local function holds(leasesKey, infoKey, jobId, token)
  local info = redis.call('HGET', infoKey, jobId)
  if not info or not string.find(info, '"token":"' .. token .. '"', 1, true) then return false end
  local expires = redis.call('ZSCORE', leasesKey, jobId)
  return expires and tonumber(expires) >= now
end

-- finish(k, sweepId, exchange, outcome, json, retentionMs) records a job's terminal outcome,
-- with k = {sweep, outcomes, jobs, active, current} keys.
-- Invariants: at most one outcome per (sweep, exchange) (HSETNX), and the sweep's counters move
-- only when it is written, so done = number of outcomes of enqueued jobs; the exchange leaves
-- the active set only if this sweep owns it; the sweep becomes completed exactly when done
-- reaches total, then stops being current and starts to expire.
local function finish(k, sweepId, exchange, outcome, json, retentionMs)
  if redis.call('HSETNX', k.outcomes, exchange, json) == 0 then return 0 end
  if redis.call('HGET', k.active, exchange) == sweepId then redis.call('HDEL', k.active, exchange) end
  redis.call('HINCRBY', k.sweep, outcome, 1)
  local done = redis.call('HINCRBY', k.sweep, 'done', 1)
  local total = tonumber(redis.call('HGET', k.sweep, 'total') or '0')
  if done >= total and redis.call('HGET', k.sweep, 'state') == STATE_RUNNING then
    redis.call('HSET', k.sweep, 'state', STATE_COMPLETED, 'finishedAt', ms(now))
    if redis.call('GET', k.current) == sweepId then redis.call('DEL', k.current) end
    redis.call('PEXPIRE', k.sweep, retentionMs)
    redis.call('PEXPIRE', k.outcomes, retentionMs)
    redis.call('PEXPIRE', k.jobs, retentionMs)
  end
  return 1
end

