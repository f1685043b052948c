-- Gives a dead-lettered job another go in its own sweep, taking its entry off the dead-letter list.
-- Invariants:
--   * The entry leaves the list only together with the job re-entering the queue (LREM of the
--     exact stored JSON, so two operators requeueing the same entry requeue it once).
--   * A dead letter exists only beside its sweep's dead-lettered outcome (the finish script writes
--     both), so removing that outcome and taking one off the sweep's 'done' and outcome counters
--     leaves done = number of outcomes; the job's next outcome is written by the usual finish.
--   * An exchange is never live twice: refused while it is active in any sweep.
--   * A completed sweep becomes running again (its retention expiry is lifted until it completes
--     anew); it is not made the current sweep, so it never blocks starting another sweep.
-- Returns 1 requeued, 0 the entry is gone (already requeued or discarded), -1 the sweep expired,
-- was cancelled or has no such outcome, -2 the exchange is active in a sweep now.
local entry, sweepId, exchange, jobId, job, outcomeField, channel =
  @entry, @sweepId, @exchange, @jobId, @job, @outcomeField, @channel

local state = redis.call('HGET', @sweep, 'state')
if not state or state == STATE_CANCELLED or redis.call('HEXISTS', @outcomes, exchange) == 0 then return -1 end
if redis.call('HEXISTS', @active, exchange) == 1 then return -2 end
if redis.call('LREM', @deadLetters, 1, entry) == 0 then return 0 end

redis.call('HDEL', @outcomes, exchange)
redis.call('HINCRBY', @sweep, outcomeField, -1)
redis.call('HINCRBY', @sweep, 'done', -1)
if state ~= STATE_RUNNING then
  redis.call('HSET', @sweep, 'state', STATE_RUNNING)
  redis.call('HDEL', @sweep, 'finishedAt')
  redis.call('PERSIST', @sweep)
  redis.call('PERSIST', @outcomes)
  redis.call('PERSIST', @jobs)
end
redis.call('HSET', @active, exchange, sweepId)
redis.call('HSET', @jobData, jobId, job)
redis.call('HSET', @attempts, jobId, 1)
redis.call('RPUSH', @queue, jobId)
redis.call('PUBLISH', channel, sweepId)
return 1
