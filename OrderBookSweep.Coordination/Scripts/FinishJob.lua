-- Ends a job with its terminal outcome (@outcome is its stored name, the sweep's counter field).
-- Fence: with a token, only its unexpired holder may finish the job; with an empty token (a
-- claimer dead-lettering a lapsed job that used its last attempt), only while the lease is still
-- lapsed and the attempts are used up.
-- @durationMs and @deadLetter may be '' (none). Returns 1 if this call recorded the outcome.
local k = { active = @active, sweep = @sweep, outcomes = @outcomes, jobs = @sweepJobs, current = @current }
local jobId, token = @jobId, @token
if token ~= '' then
  if not holds(@leases, @leaseInfo, jobId, token) then return 0 end
else
  local expires = redis.call('ZSCORE', @leases, jobId)
  if not expires or tonumber(expires) >= now then return 0 end
  if tonumber(redis.call('HGET', @attempts, jobId) or '1') < tonumber(@maxAttempts) then return 0 end
end
redis.call('ZREM', @leases, jobId)
redis.call('HDEL', @leaseInfo, jobId)
redis.call('HDEL', @jobData, jobId)
redis.call('HDEL', @attempts, jobId)
-- A claimer may be waiting for a lease to end (ClaimJob's cap).
if redis.call('LLEN', @queue) > 0 then redis.call('PUBLISH', @wakeChannel, jobId) end
local recorded = finish(k, @sweepId, @exchange, @outcome, @outcomeJson, @retentionMs)
if recorded == 1 and @durationMs ~= '' then redis.call('HSET', @durations, @exchange, @durationMs) end
if recorded == 1 and @deadLetter ~= '' then
  redis.call('LPUSH', @deadLetters, @deadLetter)
  redis.call('LTRIM', @deadLetters, 0, 999)
end
return recorded
