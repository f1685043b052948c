-- Claims the head of the queue under a new lease, after housekeeping any claimer does: due
-- retries move to the queue head; lapsed leases (expiry before server now) are requeued at the
-- head with one more attempt while attempts remain (so a dead worker's job is claimable again as
-- soon as its lease lapses and a claimer looks), else returned for the caller to dead-letter
-- (that needs the sweep's keys, which this script cannot name).
-- Invariant: at most @maxLeases jobs (the permit cap) are leased at once. The leased jobs are then
-- always the queue's first ones, so the first permits go with the first jobs (the longest, as the
-- scheduler orders them), whatever order their claimers reach the semaphore in. A lease that ends
-- wakes a claimer (FinishJob, RetryJob, AbandonJob).
-- Returns {jobId or '', attempts, job JSON, now, exhausted jobIds...}.
local leaseMs, maxAttempts, maxLeases = tonumber(@leaseMs), tonumber(@maxAttempts), tonumber(@maxLeases)
for _, due in ipairs(redis.call('ZRANGEBYSCORE', @delayed, '-inf', ms(now), 'LIMIT', 0, 100)) do
  redis.call('ZREM', @delayed, due)
  redis.call('LPUSH', @queue, due)
end
local result = {'', 0, '', ms(now)}
for _, lapsed in ipairs(redis.call('ZRANGEBYSCORE', @leases, '-inf', '(' .. ms(now), 'LIMIT', 0, 100)) do
  local attempts = tonumber(redis.call('HGET', @attempts, lapsed) or '1')
  if attempts < maxAttempts then
    redis.call('ZREM', @leases, lapsed)
    redis.call('HDEL', @leaseInfo, lapsed)
    redis.call('HSET', @attempts, lapsed, attempts + 1)
    redis.call('LPUSH', @queue, lapsed)
  else
    table.insert(result, lapsed)
  end
end
if redis.call('ZCARD', @leases) >= maxLeases then return result end
local jobId = redis.call('LPOP', @queue)
if not jobId then return result end
redis.call('ZADD', @leases, ms(now + leaseMs), jobId)
redis.call('HSET', @leaseInfo, jobId,
  '{"v":' .. FORMAT_VERSION .. ',"token":"' .. @token .. '","worker":"' .. @worker .. '","since":' .. ms(now) .. '}')
result[1] = jobId
result[2] = redis.call('HGET', @attempts, jobId) or '1'
result[3] = redis.call('HGET', @jobData, jobId) or ''
return result
