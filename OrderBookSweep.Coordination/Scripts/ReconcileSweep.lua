-- Re-enqueues jobs of a running sweep that have no outcome and are in none of queue, delayed or
-- leases (lost by a Redis restart or failover). An exchange now active for another sweep is left
-- alone (never in progress twice). Returns the number re-enqueued.
local sweepId = @sweepId
if redis.call('HGET', @sweep, 'state') ~= STATE_RUNNING then return 0 end
local queued = {}
for _, jobId in ipairs(redis.call('LRANGE', @queue, 0, -1)) do queued[jobId] = true end
local count = 0
for _, exchange in ipairs(redis.call('LRANGE', @sweepJobs, 0, -1)) do
  local jobId = sweepId .. '|' .. exchange
  local owner = redis.call('HGET', @active, exchange)
  if redis.call('HEXISTS', @outcomes, exchange) == 0 and not queued[jobId]
     and not redis.call('ZSCORE', @delayed, jobId) and not redis.call('ZSCORE', @leases, jobId)
     and (not owner or owner == sweepId) then
    redis.call('HSET', @active, exchange, sweepId)
    if redis.call('HEXISTS', @jobData, jobId) == 0 then
      redis.call('HSET', @jobData, jobId,
        '{"v":' .. FORMAT_VERSION .. ',"sweepId":' .. sweepId .. ',"exchange":"' .. exchange .. '","enqueuedAt":' .. ms(now) .. '}')
    end
    redis.call('HSETNX', @attempts, jobId, 1)
    redis.call('RPUSH', @queue, jobId)
    count = count + 1
  end
end
if count > 0 then redis.call('PUBLISH', @wakeChannel, sweepId) end
return count
