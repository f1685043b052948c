using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// Errors a waiting claimer or permit waiter rides out by checking again later: Redis
/// unreachable, slow, or briefly refusing work (loading its data after a restart, a busy
/// script, a failover). Anything else, such as a foreign value under one of our keys, is raised.
/// </summary>
internal static class TransientRedisError
{
    private static readonly string[] TransientPrefixes = ["LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN"];

    public static bool Is(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => TransientPrefixes.Any(p => server.Message.StartsWith(p, StringComparison.Ordinal)),
        _ => false,
    };
}
