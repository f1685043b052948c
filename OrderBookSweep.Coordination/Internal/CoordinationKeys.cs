using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// Every key and channel name (see docs/coordination.md, "Redis keys"). Fixed keys are shared by all
/// sweeps so that scripts whose job is not known beforehand can still name all their keys in
/// KEYS; per-sweep keys are used only where the caller knows the sweep id.
/// </summary>
internal sealed class CoordinationKeys(string prefix)
{
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

    public RedisChannel QueueWake { get; } = RedisChannel.Literal($"{prefix}:queue:wake");
    public RedisChannel PermitWake { get; } = RedisChannel.Literal($"{prefix}:permits:wake");
    public RedisChannel Books { get; } = RedisChannel.Literal($"{prefix}:books:updates");

    public RedisKey Sweep(long sweepId) => $"{prefix}:sweep:{sweepId}";
    public RedisKey SweepOutcomes(long sweepId) => $"{prefix}:sweep:{sweepId}:outcomes";
    public RedisKey SweepJobs(long sweepId) => $"{prefix}:sweep:{sweepId}:jobs";
    public RedisKey Book(string exchange, string symbol) => $"{prefix}:book:{exchange}:{symbol}";

    /// <summary>A job's id inside the fixed keys: sweep id and exchange.</summary>
    public static string JobId(long sweepId, string exchange) => $"{sweepId}|{exchange}";
}
