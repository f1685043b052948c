using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// Data under this service's keys that it did not write: a payload that does not parse (the
/// stores' <see cref="InvalidDataException"/>) or a value of another type (Redis's WRONGTYPE).
/// </summary>
public static class UnreadableData
{
    /// <summary>Whether <paramref name="exception"/> says so: the operator's to fix, not the client's.</summary>
    public static bool Is(Exception exception) => exception is InvalidDataException || IsWrongType(exception);

    /// <summary>Runs <paramref name="read"/>; a value of another type becomes an <see cref="InvalidDataException"/> naming <paramref name="keys"/>.</summary>
    internal static async Task<T> GuardAsync<T>(string keys, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (RedisServerException e) when (IsWrongType(e))
        {
            throw new InvalidDataException($"A value of another type than this service stores is under Redis {keys}.", e);
        }
    }

    // Garnet wraps a script's error ("ERR Lua encountered an error: WRONGTYPE ..."); redis-server starts with it.
    private static bool IsWrongType(Exception exception) =>
        exception is RedisServerException server && server.Message.Contains("WRONGTYPE", StringComparison.Ordinal);
}
