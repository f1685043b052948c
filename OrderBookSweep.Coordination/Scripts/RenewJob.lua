-- Extends a job lease.
-- Invariant: only the current, unexpired holder extends (an expired lease stays lost).
if not holds(@leases, @leaseInfo, @jobId, @token) then return 0 end
redis.call('ZADD', @leases, ms(now + tonumber(@leaseMs)), @jobId)
return 1
