-- Reads a sweep in one call: its hash, its outcomes and how many of its jobs hold a live lease
-- (server clock): those are the claimed ones.
local claimed = 0
local prefix = @sweepId .. '|'
for _, jobId in ipairs(redis.call('ZRANGEBYSCORE', @leases, ms(now), '+inf')) do
  if string.sub(jobId, 1, #prefix) == prefix then claimed = claimed + 1 end
end
return {redis.call('HGETALL', @sweep), redis.call('HGETALL', @outcomes), claimed}
