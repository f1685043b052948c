-- Schedules a retry: the job leaves its lease for the delayed zset, due at server now + backoff,
-- with one more attempt. Fenced by the lease.
if not holds(@leases, @leaseInfo, @jobId, @token) then return 0 end
redis.call('ZREM', @leases, @jobId)
redis.call('HDEL', @leaseInfo, @jobId)
redis.call('HINCRBY', @attempts, @jobId, 1)
redis.call('ZADD', @delayed, ms(now + tonumber(@backoffMs)), @jobId)
-- A claimer may be waiting for a lease to end (ClaimJob's cap).
if redis.call('LLEN', @queue) > 0 then redis.call('PUBLISH', @wakeChannel, @jobId) end
return 1
