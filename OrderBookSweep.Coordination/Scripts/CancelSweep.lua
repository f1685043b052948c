-- Cancels a running sweep: every job of it without an outcome leaves the queue, the retry zset
-- and the leases (its holder's next renewal or write is refused) and ends cancelled.
-- Returns 1 if the sweep was running.
local k = { sweep = @sweep, outcomes = @outcomes, jobs = @sweepJobs, current = @current, active = @active }
local sweepId = @sweepId
if redis.call('HGET', k.sweep, 'state') ~= STATE_RUNNING then return 0 end
redis.call('HSET', k.sweep, 'state', STATE_CANCELLED, 'finishedAt', ms(now))
for _, exchange in ipairs(redis.call('LRANGE', k.jobs, 0, -1)) do
  if redis.call('HEXISTS', k.outcomes, exchange) == 0 then
    local jobId = sweepId .. '|' .. exchange
    redis.call('LREM', @queue, 0, jobId)
    redis.call('ZREM', @delayed, jobId)
    redis.call('ZREM', @leases, jobId)
    redis.call('HDEL', @leaseInfo, jobId)
    redis.call('HDEL', @jobData, jobId)
    redis.call('HDEL', @attempts, jobId)
    finish(k, sweepId, exchange, OUTCOME_CANCELLED, @cancelledOutcome, @retentionMs)
  end
end
if redis.call('GET', k.current) == sweepId then redis.call('DEL', k.current) end
redis.call('PEXPIRE', k.sweep, @retentionMs)
redis.call('PEXPIRE', k.outcomes, @retentionMs)
redis.call('PEXPIRE', k.jobs, @retentionMs)
return 1
