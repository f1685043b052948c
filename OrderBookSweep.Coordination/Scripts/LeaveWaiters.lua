-- Leaves the waiters (acquire cancelled); wakes the others, whose rank may now admit them.
if redis.call('ZREM', @waiters, @token) == 1 and redis.call('ZCARD', @waiters) > 0 then
  redis.call('PUBLISH', @wakeChannel, 'left')
end
redis.call('ZREM', @waiterExpiry, @token)
return 1
