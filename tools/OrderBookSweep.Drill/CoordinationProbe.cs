using System.Text.Json;
using StackExchange.Redis;

namespace OrderBookSweep.Drill;

/// <summary>
/// Reads who holds what straight from the documented Redis keys (docs/coordination.md, "Redis keys and
/// payloads"): job leases and permits by worker. Worker ids are "{machine}-{pid}", so each names
/// a process the drill can kill.
/// </summary>
public sealed class CoordinationProbe(IConnectionMultiplexer redis, string keyPrefix = "obs")
{
    /// <summary>Leased jobs: job id ("{sweepId}|{exchange}") and the worker holding the lease.</summary>
    public async Task<IReadOnlyList<Holding>> LeasesAsync() =>
        await ReadAsync($"{keyPrefix}:jobs:lease-info", "worker", key => key.Split('|')[1], key => key);

    /// <summary>Permits held: the exchange being worked on and its holder.</summary>
    public async Task<IReadOnlyList<Holding>> PermitsAsync() =>
        await ReadAsync($"{keyPrefix}:permits:holder-info", "holderId", _ => null, _ => null);

    public async Task<bool> HasOutcomeAsync(long sweepId, string exchange) =>
        await redis.GetDatabase().HashExistsAsync($"{keyPrefix}:sweep:{sweepId}:outcomes", exchange);

    public async Task<bool> IsRunningAsync(long sweepId) =>
        await redis.GetDatabase().HashGetAsync($"{keyPrefix}:sweep:{sweepId}", "state") == "running";

    public static int? PidOf(string workerId) =>
        int.TryParse(workerId[(workerId.LastIndexOf('-') + 1)..], out var pid) ? pid : null;

    private async Task<IReadOnlyList<Holding>> ReadAsync(string key, string workerField, Func<string, string?> exchangeOf, Func<string, string?> jobOf)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(key);
        var holdings = new List<Holding>();
        foreach (var entry in entries)
        {
            using var json = JsonDocument.Parse(entry.Value.ToString());
            var name = entry.Name.ToString();
            var exchange = exchangeOf(name) ?? json.RootElement.GetProperty("exchange").GetString()!;
            holdings.Add(new Holding(jobOf(name), exchange, json.RootElement.GetProperty(workerField).GetString()!));
        }
        return holdings;
    }
}

/// <summary>A job lease (<see cref="JobId"/> set) or a permit, held by <see cref="Worker"/>.</summary>
public sealed record Holding(string? JobId, string Exchange, string Worker)
{
    public int? Pid => CoordinationProbe.PidOf(Worker);
}
