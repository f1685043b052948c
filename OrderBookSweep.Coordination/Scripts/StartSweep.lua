-- Creates a sweep and enqueues its jobs in the given order (RPUSH; claimed from the head).
--
-- The job queue's data structure (all scripts of it): a job id is '{sweepId}|{exchange}'; a live
-- job is in exactly one of the ready list (@queue), the retry zset (delayed, scored by due time)
-- or the lease zset (leases, scored by expiry), and has data and an attempt count in two hashes;
-- the active hash maps each exchange to the one sweep whose job for it is live. A job leaves all
-- of them only together with writing its single terminal outcome (finish, in Library.lua).
-- Claiming touches only fixed keys, so it needs no sweep id beforehand.
--
-- Invariants: refused while a sweep is current unless forced; an exchange already active
-- (queued, waiting for a retry or leased, any sweep) is skipped, so an exchange is never queued
-- twice and never in progress twice.
-- Exchanges in @notSimulated (one id a line; none of them in @jobs) are written to the outcomes
-- as not simulated, and nothing else: never queued, never active, never dead-lettered, not in the
-- total.
-- @jobs: one line per exchange, in order: '{exchange} {job JSON}' (exchange ids hold no space,
-- serialized JSON holds no raw newline).
-- Returns {1, sweepId, skipped exchanges...} or {0, current sweep id}.
local sweepId = @sweepId
if redis.call('EXISTS', @sweep) == 1 then return redis.error_reply('sweep id ' .. sweepId .. ' already used') end
local current = redis.call('GET', @current)
if current and @force ~= '1' then return {0, current} end
local result = {1, sweepId}
local total = 0
for line in string.gmatch(@jobs, '[^\n]+') do
  local space = string.find(line, ' ', 1, true)
  local exchange, job = string.sub(line, 1, space - 1), string.sub(line, space + 1)
  if redis.call('HEXISTS', @active, exchange) == 1 then
    redis.call('HSET', @outcomes, exchange, @skippedOutcome)
    table.insert(result, exchange)
  else
    local jobId = sweepId .. '|' .. exchange
    redis.call('HSET', @active, exchange, sweepId)
    redis.call('HSET', @jobData, jobId, job)
    redis.call('HSET', @attempts, jobId, 1)
    redis.call('RPUSH', @queue, jobId)
    redis.call('RPUSH', @sweepJobs, exchange)
    total = total + 1
  end
end
for exchange in string.gmatch(@notSimulated, '[^\n]+') do
  redis.call('HSET', @outcomes, exchange, @notSimulatedOutcome)
end
redis.call('HSET', @sweep, 'v', FORMAT_VERSION, 'id', sweepId, 'createdAt', ms(now), 'total', total, 'done', 0)
if total > 0 then
  redis.call('HSET', @sweep, 'state', STATE_RUNNING)
  redis.call('SET', @current, sweepId)
  redis.call('PUBLISH', @wakeChannel, sweepId)
else
  redis.call('HSET', @sweep, 'state', STATE_COMPLETED, 'finishedAt', ms(now))
  redis.call('PEXPIRE', @sweep, @retentionMs)
  redis.call('PEXPIRE', @outcomes, @retentionMs)
end
redis.call('SET', @latest, sweepId)
return result
