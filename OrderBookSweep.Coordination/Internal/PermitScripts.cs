namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// The global semaphore's scripts. Data structure: holders is a zset of permit tokens scored
/// by lease expiry (server ms), with a hash of holder info (JSON) beside it; waiters is a zset
/// of tokens scored by arrival (server ms), with a second zset of waiter expiries so a waiter
/// that died loses its place. The cap is not stored: every caller passes the same configured one.
/// Invariants: expired holders and waiters are purged before anything is counted, so a dead
/// holder's permit is free once its lease expires; a permit is granted only while
/// ZCARD(holders) &lt; cap AND the caller is among the first (cap - holders) live waiters, so
/// waiters are served in arrival order; every release (and every purge that frees a permit
/// while others wait) publishes a wake-up, so the next waiter retries at once.
/// </summary>
internal static class PermitScripts
{
    /// <summary>
    /// KEYS: 1 holders, 2 holder info, 3 waiters, 4 waiter expiry. ARGV: 1 token, 2 holder id,
    /// 3 exchange, 4 lease ms, 5 cap, 6 waiter ttl ms, 7 wake channel.
    /// Returns {1, now, leaseExpiry} when granted, else {0, now, 0} (the caller stays queued).
    /// </summary>
    public const string TryAcquire = LuaLibrary.Clock + """
        local holdersKey, infoKey, waitersKey, waiterExpiryKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
        local token, holderId, exchange, leaseMs, cap, waiterTtlMs, channel =
          ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
        local lapsed = redis.call('ZRANGEBYSCORE', holdersKey, '-inf', '(' .. ms(now))
        for _, h in ipairs(lapsed) do
          redis.call('ZREM', holdersKey, h)
          redis.call('HDEL', infoKey, h)
        end
        for _, w in ipairs(redis.call('ZRANGEBYSCORE', waiterExpiryKey, '-inf', '(' .. ms(now))) do
          redis.call('ZREM', waitersKey, w)
          redis.call('ZREM', waiterExpiryKey, w)
        end
        local held = redis.call('ZSCORE', holdersKey, token)
        if held then return {1, ms(now), held} end
        if not redis.call('ZSCORE', waitersKey, token) then redis.call('ZADD', waitersKey, ms(now), token) end
        local free = cap - redis.call('ZCARD', holdersKey)
        if free > 0 and redis.call('ZRANK', waitersKey, token) < free then
          redis.call('ZREM', waitersKey, token)
          redis.call('ZREM', waiterExpiryKey, token)
          redis.call('ZADD', holdersKey, ms(now + leaseMs), token)
          redis.call('HSET', infoKey, token, '{"v":1,"holderId":"' .. holderId .. '","exchange":"' .. exchange .. '","since":' .. ms(now) .. '}')
          return {1, ms(now), ms(now + leaseMs)}
        end
        redis.call('ZADD', waiterExpiryKey, ms(now + waiterTtlMs), token)
        if #lapsed > 0 and free > 0 then redis.call('PUBLISH', channel, 'lapsed') end
        return {0, ms(now), '0'}
        """;

    /// <summary>
    /// Extends a permit lease. KEYS: 1 holders, 2 holder info. ARGV: 1 token, 2 lease ms.
    /// An expired permit is never revived (its place may be taken): it is removed and 0 returned.
    /// </summary>
    public const string Renew = LuaLibrary.Clock + """
        local expires = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not expires or tonumber(expires) < now then
          redis.call('ZREM', KEYS[1], ARGV[1])
          redis.call('HDEL', KEYS[2], ARGV[1])
          return 0
        end
        redis.call('ZADD', KEYS[1], ms(now + tonumber(ARGV[2])), ARGV[1])
        return 1
        """;

    /// <summary>
    /// Gives a permit back and wakes the waiters. KEYS: 1 holders, 2 holder info, 3 waiters.
    /// ARGV: 1 token, 2 wake channel.
    /// </summary>
    public const string Release = """
        local removed = redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        if removed == 1 and redis.call('ZCARD', KEYS[3]) > 0 then redis.call('PUBLISH', ARGV[2], 'released') end
        return removed
        """;

    /// <summary>
    /// Leaves the waiters (acquire cancelled); wakes the others, whose rank may now admit them.
    /// KEYS: 1 waiters, 2 waiter expiry. ARGV: 1 token, 2 wake channel.
    /// </summary>
    public const string LeaveWaiters = """
        if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 and redis.call('ZCARD', KEYS[1]) > 0 then
          redis.call('PUBLISH', ARGV[2], 'left')
        end
        redis.call('ZREM', KEYS[2], ARGV[1])
        return 1
        """;

    /// <summary>
    /// The live holders, compared with the server's clock. KEYS: 1 holders, 2 holder info.
    /// Returns triples {token, info JSON, lease expiry ms}.
    /// </summary>
    public const string ReadHolders = LuaLibrary.Clock + """
        local result = {}
        local live = redis.call('ZRANGEBYSCORE', KEYS[1], ms(now), '+inf', 'WITHSCORES')
        for i = 1, #live, 2 do
          table.insert(result, live[i])
          table.insert(result, redis.call('HGET', KEYS[2], live[i]) or '')
          table.insert(result, live[i + 1])
        end
        return result
        """;
}
