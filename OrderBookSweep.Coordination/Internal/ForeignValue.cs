using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// A value of another type under one of this service's keys (Redis's WRONGTYPE) was written by
/// something else: like a payload that does not parse, it is stored data this service cannot
/// read, raised as an <see cref="InvalidDataException"/> that names the keys.
/// </summary>
internal static class ForeignValue
{
    public static async Task<T> GuardAsync<T>(string keys, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        // Garnet wraps a script's error ("ERR Lua encountered an error: WRONGTYPE ..."); redis-server starts with it.
        catch (RedisServerException e) when (e.Message.Contains("WRONGTYPE", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"A value of another type than this service stores is under Redis {keys}.", e);
        }
    }
}
