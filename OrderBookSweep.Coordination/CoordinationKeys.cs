using OrderBookSweep.Coordination.Metrics;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// Every key and channel name: the one place that spells the layout (docs/coordination.md, "Redis
/// keys"), for the library and for tools and tests that read Redis directly. Fixed keys
/// are shared by all sweeps so that scripts whose job is not known beforehand can still name all
/// their keys in KEYS; per-sweep keys are used only where the caller knows the sweep id.
/// </summary>
public sealed class CoordinationKeys(string prefix)
{
    /// <summary><see cref="CoordinationOptions.KeyPrefix"/> unless configured otherwise.</summary>
    public const string DefaultPrefix = "obs";

    public RedisKey Queue { get; } = $"{prefix}:queue";
    public RedisKey Delayed { get; } = $"{prefix}:queue:delayed";
    public RedisKey Leases { get; } = $"{prefix}:jobs:leases";
    public RedisKey LeaseInfo { get; } = $"{prefix}:jobs:lease-info";
    public RedisKey JobData { get; } = $"{prefix}:jobs:data";
    public RedisKey Attempts { get; } = $"{prefix}:jobs:attempts";
    public RedisKey Active { get; } = $"{prefix}:jobs:active";
    public RedisKey DeadLetters { get; } = $"{prefix}:jobs:dead-letters";
    public RedisKey Durations { get; } = $"{prefix}:exchanges:last-duration-ms";
    public RedisKey SweepSequence { get; } = $"{prefix}:sweeps:seq";
    public RedisKey CurrentSweep { get; } = $"{prefix}:sweeps:current";
    public RedisKey LatestSweep { get; } = $"{prefix}:sweeps:latest";
    public RedisKey Catalog { get; } = $"{prefix}:exchanges:catalog";
    public RedisKey PermitHolders { get; } = $"{prefix}:permits:holders";
    public RedisKey PermitInfo { get; } = $"{prefix}:permits:holder-info";
    public RedisKey PermitWaiters { get; } = $"{prefix}:permits:waiters";
    public RedisKey PermitWaiterExpiry { get; } = $"{prefix}:permits:waiter-expiry";
    public RedisKey BookExchanges { get; } = $"{prefix}:books:exchanges";

    public RedisChannel QueueWake { get; } = RedisChannel.Literal($"{prefix}:queue:wake");
    public RedisChannel PermitWake { get; } = RedisChannel.Literal($"{prefix}:permits:wake");
    public RedisChannel Books { get; } = RedisChannel.Literal($"{prefix}:books:updates");

    public RedisKey Sweep(long sweepId) => $"{prefix}:sweep:{sweepId}";
    public RedisKey SweepOutcomes(long sweepId) => $"{prefix}:sweep:{sweepId}:outcomes";
    public RedisKey SweepJobs(long sweepId) => $"{prefix}:sweep:{sweepId}:jobs";
    public RedisKey Book(string exchange, string symbol) => $"{prefix}:book:{exchange}:{symbol}";
    public RedisKey BookSymbols(string exchange) => $"{prefix}:books:symbols:{exchange}";
    public RedisKey MarketVenues(string symbol) => $"{prefix}:markets:venues:{symbol}";
    public RedisKey MarketEntries(string symbol) => $"{prefix}:markets:entries:{symbol}";
    public RedisKey MarketSymbols(MarketType type, string @base) => $"{prefix}:markets:by-base:{StoredName<MarketType>.Of(type)}:{@base}";

    /// <summary>A job's id inside the fixed keys: sweep id and exchange.</summary>
    public static string JobId(long sweepId, string exchange) => $"{sweepId}|{exchange}";

    /// <summary>Reads a <see cref="JobId"/>: a positive sweep id and a well-formed exchange id, or false.</summary>
    public static bool TryParseJobId(string jobId, out long sweepId, out string exchange)
    {
        var bar = jobId.IndexOf('|', StringComparison.Ordinal);
        exchange = bar > 0 ? jobId[(bar + 1)..] : "";
        sweepId = 0;
        return bar > 0 && long.TryParse(jobId.AsSpan(0, bar), System.Globalization.NumberStyles.None, null, out sweepId) && sweepId > 0
            && ExchangeIds.IsWellFormed(exchange);
    }
}
