-- The live permit holders, compared with the server's clock.
-- Returns triples {token, info JSON, lease expiry ms}.
local result = {}
local live = redis.call('ZRANGEBYSCORE', @holders, ms(now), '+inf', 'WITHSCORES')
for i = 1, #live, 2 do
  table.insert(result, live[i])
  table.insert(result, redis.call('HGET', @holderInfo, live[i]) or '')
  table.insert(result, live[i + 1])
end
return result
