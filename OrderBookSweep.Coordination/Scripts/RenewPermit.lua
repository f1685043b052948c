-- Extends a permit lease (data structure: AcquirePermit.lua). An expired permit is never revived
-- (its place may be taken): it is removed and 0 returned.
local expires = redis.call('ZSCORE', @holders, @token)
if not expires or tonumber(expires) < now then
  redis.call('ZREM', @holders, @token)
  redis.call('HDEL', @holderInfo, @token)
  return 0
end
redis.call('ZADD', @holders, ms(now + tonumber(@leaseMs)), @token)
return 1
