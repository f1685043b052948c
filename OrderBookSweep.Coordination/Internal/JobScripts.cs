namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// The job queue's scripts. Data structure: a job id is <c>{sweepId}|{exchange}</c>; a live job
/// is in exactly one of the ready list (queue), the retry zset (delayed, scored by due time) or
/// the lease zset (leases, scored by expiry), and has data and an attempt count in two hashes;
/// the active hash maps each exchange to the one sweep whose job for it is live. A job leaves
/// all of them only together with writing its single terminal outcome (LuaLibrary.Finish).
/// Claiming touches only fixed keys, so it needs no sweep id beforehand.
/// </summary>
internal static class JobScripts
{
    /// <summary>
    /// Creates a sweep and enqueues its jobs in the given order (RPUSH, claimed from the head).
    /// KEYS: 1 current sweep, 2 latest sweep, 3 active, 4 queue, 5 job data, 6 attempts,
    /// 7 sweep, 8 sweep outcomes, 9 sweep jobs. ARGV: 1 sweep id, 2 force ('1'), 3 wake channel,
    /// 4 skipped outcome JSON, 5 retention ms, 6.. pairs (exchange, job JSON).
    /// Invariants: refused while a sweep is current unless forced; an exchange already active
    /// (queued, waiting for a retry or leased, any sweep) is skipped, so an exchange is never
    /// queued twice and never in progress twice. Returns {1, sweepId, skipped...} or {0, current}.
    /// </summary>
    public const string Start = LuaLibrary.Clock + """
        local currentKey, latestKey, activeKey, queueKey, dataKey, attemptsKey, sweepKey, outcomesKey, jobsKey =
          KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
        local sweepId, force, channel, skippedJson, retentionMs = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
        if redis.call('EXISTS', sweepKey) == 1 then return redis.error_reply('sweep id ' .. sweepId .. ' already used') end
        local current = redis.call('GET', currentKey)
        if current and force ~= '1' then return {0, current} end
        local result = {1, sweepId}
        local total = 0
        for i = 6, #ARGV, 2 do
          local exchange, job = ARGV[i], ARGV[i + 1]
          if redis.call('HEXISTS', activeKey, exchange) == 1 then
            redis.call('HSET', outcomesKey, exchange, skippedJson)
            table.insert(result, exchange)
          else
            local jobId = sweepId .. '|' .. exchange
            redis.call('HSET', activeKey, exchange, sweepId)
            redis.call('HSET', dataKey, jobId, job)
            redis.call('HSET', attemptsKey, jobId, 1)
            redis.call('RPUSH', queueKey, jobId)
            redis.call('RPUSH', jobsKey, exchange)
            total = total + 1
          end
        end
        redis.call('HSET', sweepKey, 'v', 1, 'id', sweepId, 'createdAt', ms(now), 'total', total, 'done', 0)
        if total > 0 then
          redis.call('HSET', sweepKey, 'state', 'running')
          redis.call('SET', currentKey, sweepId)
          redis.call('PUBLISH', channel, sweepId)
        else
          redis.call('HSET', sweepKey, 'state', 'completed', 'finishedAt', ms(now))
          redis.call('PEXPIRE', sweepKey, retentionMs)
          redis.call('PEXPIRE', outcomesKey, retentionMs)
        end
        redis.call('SET', latestKey, sweepId)
        return result
        """;

    /// <summary>
    /// Claims the head of the queue under a new lease, after housekeeping any claimer does:
    /// due retries move to the queue head; lapsed leases (expiry before server now) are requeued
    /// at the head with one more attempt while attempts remain (so a dead worker's job is
    /// claimable again as soon as its lease lapses and a claimer looks), else returned for the
    /// caller to dead-letter (that needs the sweep's keys, which this script cannot name).
    /// KEYS: 1 queue, 2 delayed, 3 leases, 4 lease info, 5 attempts, 6 job data.
    /// ARGV: 1 token, 2 worker, 3 lease ms, 4 max attempts.
    /// Returns {jobId or '', attempts, job JSON, now, exhausted jobIds...}.
    /// </summary>
    public const string Claim = LuaLibrary.Clock + """
        local queueKey, delayedKey, leasesKey, infoKey, attemptsKey, dataKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
        local token, worker, leaseMs, maxAttempts = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
        for _, due in ipairs(redis.call('ZRANGEBYSCORE', delayedKey, '-inf', ms(now), 'LIMIT', 0, 100)) do
          redis.call('ZREM', delayedKey, due)
          redis.call('LPUSH', queueKey, due)
        end
        local result = {'', 0, '', ms(now)}
        for _, lapsed in ipairs(redis.call('ZRANGEBYSCORE', leasesKey, '-inf', '(' .. ms(now), 'LIMIT', 0, 100)) do
          local attempts = tonumber(redis.call('HGET', attemptsKey, lapsed) or '1')
          if attempts < maxAttempts then
            redis.call('ZREM', leasesKey, lapsed)
            redis.call('HDEL', infoKey, lapsed)
            redis.call('HSET', attemptsKey, lapsed, attempts + 1)
            redis.call('LPUSH', queueKey, lapsed)
          else
            table.insert(result, lapsed)
          end
        end
        local jobId = redis.call('LPOP', queueKey)
        if not jobId then return result end
        redis.call('ZADD', leasesKey, ms(now + leaseMs), jobId)
        redis.call('HSET', infoKey, jobId, '{"v":1,"token":"' .. token .. '","worker":"' .. worker .. '","since":' .. ms(now) .. '}')
        result[1] = jobId
        result[2] = redis.call('HGET', attemptsKey, jobId) or '1'
        result[3] = redis.call('HGET', dataKey, jobId) or ''
        return result
        """;

    /// <summary>
    /// Extends a job lease. KEYS: 1 leases, 2 lease info. ARGV: 1 job id, 2 token, 3 lease ms.
    /// Invariant: only the current, unexpired holder extends (an expired lease stays lost).
    /// </summary>
    public const string Renew = LuaLibrary.Holds + """
        if not holds(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], ms(now + tonumber(ARGV[3])), ARGV[1])
        return 1
        """;

    /// <summary>
    /// Ends a job with its terminal outcome. KEYS: 1 leases, 2 lease info, 3 job data,
    /// 4 attempts, 5 active, 6 sweep, 7 sweep outcomes, 8 sweep jobs, 9 current sweep,
    /// 10 last durations, 11 dead letters. ARGV: 1 job id, 2 token, 3 sweep id, 4 exchange,
    /// 5 outcome, 6 outcome JSON, 7 duration ms or '', 8 dead-letter JSON or '', 9 retention ms,
    /// 10 max attempts.
    /// Fence: with a token, only its unexpired holder may finish the job; with an empty token
    /// (a claimer dead-lettering a lapsed job that used its last attempt), only while the lease is
    /// still lapsed and the attempts are used up. Returns 1 if this call recorded the outcome.
    /// </summary>
    public const string Finish = LuaLibrary.Holds + LuaLibrary.Finish + """
        local leasesKey, infoKey, dataKey, attemptsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
        local k = { active = KEYS[5], sweep = KEYS[6], outcomes = KEYS[7], jobs = KEYS[8], current = KEYS[9] }
        local durationsKey, deadLettersKey = KEYS[10], KEYS[11]
        local jobId, token, sweepId, exchange, outcome, json, durationMs, deadLetter, retentionMs, maxAttempts =
          ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], tonumber(ARGV[10])
        if token ~= '' then
          if not holds(leasesKey, infoKey, jobId, token) then return 0 end
        else
          local expires = redis.call('ZSCORE', leasesKey, jobId)
          if not expires or tonumber(expires) >= now then return 0 end
          if tonumber(redis.call('HGET', attemptsKey, jobId) or '1') < maxAttempts then return 0 end
        end
        redis.call('ZREM', leasesKey, jobId)
        redis.call('HDEL', infoKey, jobId)
        redis.call('HDEL', dataKey, jobId)
        redis.call('HDEL', attemptsKey, jobId)
        local recorded = finish(k, sweepId, exchange, outcome, json, retentionMs)
        if recorded == 1 and durationMs ~= '' then redis.call('HSET', durationsKey, exchange, durationMs) end
        if recorded == 1 and deadLetter ~= '' then
          redis.call('LPUSH', deadLettersKey, deadLetter)
          redis.call('LTRIM', deadLettersKey, 0, 999)
        end
        return recorded
        """;

    /// <summary>
    /// Schedules a retry: the job leaves its lease for the delayed zset, due at server now +
    /// backoff, with one more attempt. KEYS: 1 leases, 2 lease info, 3 delayed, 4 attempts.
    /// ARGV: 1 job id, 2 token, 3 backoff ms. Fenced by the lease.
    /// </summary>
    public const string Retry = LuaLibrary.Holds + """
        if not holds(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
        redis.call('ZADD', KEYS[3], ms(now + tonumber(ARGV[3])), ARGV[1])
        return 1
        """;

    /// <summary>
    /// Hands a job back at the queue head, same attempt (graceful shutdown), and wakes a
    /// claimer. KEYS: 1 leases, 2 lease info, 3 queue. ARGV: 1 job id, 2 token, 3 wake channel.
    /// </summary>
    public const string Abandon = LuaLibrary.Holds + """
        if not holds(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('LPUSH', KEYS[3], ARGV[1])
        redis.call('PUBLISH', ARGV[3], ARGV[1])
        return 1
        """;

    /// <summary>
    /// Cancels a running sweep: every job of it without an outcome leaves the queue, the retry
    /// zset and the leases (its holder's next renewal or write is refused) and ends cancelled.
    /// KEYS: 1 sweep, 2 sweep outcomes, 3 sweep jobs, 4 current, 5 active, 6 queue, 7 delayed,
    /// 8 leases, 9 lease info, 10 job data, 11 attempts. ARGV: 1 sweep id, 2 cancelled outcome
    /// JSON, 3 retention ms. Returns 1 if the sweep was running.
    /// </summary>
    public const string Cancel = LuaLibrary.Clock + LuaLibrary.Finish + """
        local k = { sweep = KEYS[1], outcomes = KEYS[2], jobs = KEYS[3], current = KEYS[4], active = KEYS[5] }
        local queueKey, delayedKey, leasesKey, infoKey, dataKey, attemptsKey = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11]
        local sweepId, json, retentionMs = ARGV[1], ARGV[2], ARGV[3]
        if redis.call('HGET', k.sweep, 'state') ~= 'running' then return 0 end
        redis.call('HSET', k.sweep, 'state', 'cancelled', 'finishedAt', ms(now))
        for _, exchange in ipairs(redis.call('LRANGE', k.jobs, 0, -1)) do
          if redis.call('HEXISTS', k.outcomes, exchange) == 0 then
            local jobId = sweepId .. '|' .. exchange
            redis.call('LREM', queueKey, 0, jobId)
            redis.call('ZREM', delayedKey, jobId)
            redis.call('ZREM', leasesKey, jobId)
            redis.call('HDEL', infoKey, jobId)
            redis.call('HDEL', dataKey, jobId)
            redis.call('HDEL', attemptsKey, jobId)
            finish(k, sweepId, exchange, 'cancelled', json, retentionMs)
          end
        end
        if redis.call('GET', k.current) == sweepId then redis.call('DEL', k.current) end
        redis.call('PEXPIRE', k.sweep, retentionMs)
        redis.call('PEXPIRE', k.outcomes, retentionMs)
        redis.call('PEXPIRE', k.jobs, retentionMs)
        return 1
        """;

    /// <summary>
    /// Re-enqueues jobs of a running sweep that have no outcome and are in none of queue,
    /// delayed or leases (lost by a Redis restart or failover). An exchange now active for
    /// another sweep is left alone (never in progress twice). KEYS: 1 sweep, 2 sweep outcomes,
    /// 3 sweep jobs, 4 active, 5 queue, 6 delayed, 7 leases, 8 job data, 9 attempts.
    /// ARGV: 1 sweep id, 2 wake channel. Returns the number re-enqueued.
    /// </summary>
    public const string Reconcile = LuaLibrary.Clock + """
        local sweepKey, outcomesKey, jobsKey, activeKey, queueKey, delayedKey, leasesKey, dataKey, attemptsKey =
          KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
        local sweepId, channel = ARGV[1], ARGV[2]
        if redis.call('HGET', sweepKey, 'state') ~= 'running' then return 0 end
        local queued = {}
        for _, jobId in ipairs(redis.call('LRANGE', queueKey, 0, -1)) do queued[jobId] = true end
        local count = 0
        for _, exchange in ipairs(redis.call('LRANGE', jobsKey, 0, -1)) do
          local jobId = sweepId .. '|' .. exchange
          local owner = redis.call('HGET', activeKey, exchange)
          if redis.call('HEXISTS', outcomesKey, exchange) == 0 and not queued[jobId]
             and not redis.call('ZSCORE', delayedKey, jobId) and not redis.call('ZSCORE', leasesKey, jobId)
             and (not owner or owner == sweepId) then
            redis.call('HSET', activeKey, exchange, sweepId)
            if redis.call('HEXISTS', dataKey, jobId) == 0 then
              redis.call('HSET', dataKey, jobId, '{"v":1,"sweepId":' .. sweepId .. ',"exchange":"' .. exchange .. '","enqueuedAt":' .. ms(now) .. '}')
            end
            redis.call('HSETNX', attemptsKey, jobId, 1)
            redis.call('RPUSH', queueKey, jobId)
            count = count + 1
          end
        end
        if count > 0 then redis.call('PUBLISH', channel, sweepId) end
        return count
        """;

    /// <summary>
    /// Stores an order book only while the job lease is held (late results never overwrite),
    /// with a TTL, and announces it. KEYS: 1 leases, 2 lease info, 3 book. ARGV: 1 job id,
    /// 2 token, 3 book JSON, 4 ttl ms, 5 channel, 6 notification JSON.
    /// </summary>
    public const string PublishBook = LuaLibrary.Holds + """
        if not holds(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return 0 end
        redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
        redis.call('PUBLISH', ARGV[5], ARGV[6])
        return 1
        """;

    /// <summary>
    /// Reads a sweep in one call: its hash, its outcomes and how many of its jobs hold a live
    /// lease (server clock). KEYS: 1 sweep, 2 sweep outcomes, 3 leases. ARGV: 1 sweep id.
    /// </summary>
    public const string ReadSweep = LuaLibrary.Clock + """
        local running = 0
        local prefix = ARGV[1] .. '|'
        for _, jobId in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], ms(now), '+inf')) do
          if string.sub(jobId, 1, #prefix) == prefix then running = running + 1 end
        end
        return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), running}
        """;
}
