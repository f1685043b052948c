-- Hands a job back at the queue head, same attempt (graceful shutdown), and wakes a claimer.
-- Fenced by the lease: a refusal means it was already lost, and there is nothing to hand back.
if not holds(@leases, @leaseInfo, @jobId, @token) then return 0 end
redis.call('ZREM', @leases, @jobId)
redis.call('HDEL', @leaseInfo, @jobId)
redis.call('LPUSH', @queue, @jobId)
redis.call('PUBLISH', @wakeChannel, @jobId)
return 1
