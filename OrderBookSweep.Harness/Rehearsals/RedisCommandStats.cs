using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>
/// Commands the Redis server executed, from INFO commandstats (redis-server; needs allowAdmin).
/// Counted by the server, so every client is in it: workers, scheduler, monitor. A Lua script
/// counts once as EVALSHA and once more for each command it runs.
/// </summary>
public sealed class RedisCommandStats(IServer server)
{
    /// <summary>A connection to the system's Redis that may run INFO.</summary>
    public static async Task<ConnectionMultiplexer> ConnectAdminAsync(SweepSystem system)
    {
        var options = ConfigurationOptions.Parse(await system.App.GetConnectionStringAsync("redis")
            ?? throw new InvalidOperationException("redis has no connection string"));
        options.AllowAdmin = true;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async Task<IReadOnlyDictionary<string, long>> ReadAsync()
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in await server.InfoAsync("commandstats"))
        {
            foreach (var (key, value) in group)
            {
                // cmdstat_evalsha:calls=123,usec=456,usec_per_call=3.7,...
                var count = value.Split(',').First(f => f.StartsWith("calls=", StringComparison.Ordinal))["calls=".Length..];
                calls[key.Replace("cmdstat_", "", StringComparison.Ordinal)] = long.Parse(count, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }

    /// <summary>Commands run between two readings, without the INFO of the second reading.</summary>
    public static IReadOnlyDictionary<string, long> Difference(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(a => (a.Key, Calls: a.Value - before.GetValueOrDefault(a.Key) - (a.Key == "info" ? 1 : 0)))
            .Where(a => a.Calls > 0)
            .ToDictionary(a => a.Key, a => a.Calls, StringComparer.Ordinal);
}
