using System.Text.Json;
using OrderBookSweep.Coordination;
using StackExchange.Redis;

namespace OrderBookSweep.Harness;

/// <summary>
/// Reads who holds what straight from the documented Redis keys (docs/coordination.md, "Redis keys and
/// payloads"): job leases and permits by worker. Worker ids are "{machine}-{pid}", so each names
/// a process the drill can kill.
/// </summary>
public sealed class CoordinationProbe(IConnectionMultiplexer redis, string keyPrefix = CoordinationKeys.DefaultPrefix)
{
    private readonly CoordinationKeys _keys = new(keyPrefix);

    /// <summary>Leased jobs: job id ("{sweepId}|{exchange}") and the worker holding the lease.</summary>
    public async Task<IReadOnlyList<Holding>> LeasesAsync() =>
        await ReadAsync(_keys.LeaseInfo, "worker", ExchangeOf, key => key);

    /// <summary>Permits held: the exchange being worked on and its holder.</summary>
    public async Task<IReadOnlyList<Holding>> PermitsAsync() =>
        await ReadAsync(_keys.PermitInfo, "holderId", _ => null, _ => null);

    public async Task<bool> HasOutcomeAsync(long sweepId, string exchange) =>
        await redis.GetDatabase().HashExistsAsync(_keys.SweepOutcomes(sweepId), exchange);

    public async Task<bool> IsRunningAsync(long sweepId) =>
        await redis.GetDatabase().HashGetAsync(_keys.Sweep(sweepId), "state") == StoredName<SweepState>.Of(SweepState.Running);

    private static string? ExchangeOf(string jobId) => CoordinationKeys.TryParseJobId(jobId, out _, out var exchange) ? exchange : null;

    public static int? PidOf(string workerId) =>
        int.TryParse(workerId[(workerId.LastIndexOf('-') + 1)..], out var pid) ? pid : null;

    private async Task<IReadOnlyList<Holding>> ReadAsync(RedisKey key, string workerField, Func<string, string?> exchangeOf, Func<string, string?> jobOf)
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
