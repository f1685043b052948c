-- Gives a permit back (data structure: AcquirePermit.lua) and wakes the waiters, if any.
local removed = redis.call('ZREM', @holders, @token)
redis.call('HDEL', @holderInfo, @token)
if removed == 1 and redis.call('ZCARD', @waiters) > 0 then redis.call('PUBLISH', @wakeChannel, 'released') end
return removed
