-- Ends a cancelled acquire (data structure: AcquirePermit.lua): its token leaves the waiters and
-- the holders. It can be a holder the caller never heard of: a grant whose reply was lost to a
-- cut connection, which the caller would have found by retrying had it not been cancelled.
-- Invariant: a cancelled acquire leaves nothing of its token behind, so it holds no place in
-- the queue nor a permit; the others are woken when that moves them up or frees a permit.
local left = redis.call('ZREM', @waiters, @token) + redis.call('ZREM', @holders, @token)
redis.call('ZREM', @waiterExpiry, @token)
redis.call('HDEL', @holderInfo, @token)
if left > 0 and redis.call('ZCARD', @waiters) > 0 then redis.call('PUBLISH', @wakeChannel, 'left') end
return left
