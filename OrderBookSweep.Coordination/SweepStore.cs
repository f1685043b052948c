using System.Text;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>The scheduler side: creates, reads, cancels and repairs sweeps.</summary>
public sealed class SweepStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly CoordinationOptions _options;
    private readonly CoordinationKeys _keys;

    public SweepStore(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options)
    {
        _redis = redis;
        _options = options.Value;
        _keys = new CoordinationKeys(_options.KeyPrefix);
    }

    private IDatabase Database => _redis.GetDatabase();

    private long RetentionMs => (long)_options.SweepRetention.TotalMilliseconds;

    /// <summary>
    /// Creates a sweep and enqueues one job per exchange in the given order, atomically. Refused
    /// while another sweep is running unless <paramref name="force"/>; exchanges already queued
    /// or in progress (any sweep) are skipped and recorded as skipped. <paramref name="notSimulated"/>
    /// names exchanges left out because the simulator the workers sweep does not serve them: they are
    /// recorded as such and never queued.
    /// </summary>
    /// <exception cref="ArgumentException">Empty list, a malformed or repeated exchange id.</exception>
    public async Task<SweepStartResult> StartSweepAsync(
        IReadOnlyList<string> exchanges, bool force, string? traceParent, string? traceState, CancellationToken ct,
        IReadOnlyCollection<string>? notSimulated = null)
    {
        ArgumentNullException.ThrowIfNull(exchanges);
        if (exchanges.Count == 0)
        {
            throw new ArgumentException("A sweep needs at least one exchange.", nameof(exchanges));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var exchange in exchanges)
        {
            if (!seen.Add(Identifiers.Exchange(exchange, nameof(exchanges))))
            {
                throw new ArgumentException($"Exchange '{exchange}' is listed twice.", nameof(exchanges));
            }
        }

        var leftOut = new StringBuilder();
        foreach (var exchange in notSimulated ?? [])
        {
            if (!seen.Add(Identifiers.Exchange(exchange, nameof(notSimulated))))
            {
                throw new ArgumentException($"Exchange '{exchange}' is listed twice.", nameof(notSimulated));
            }

            leftOut.Append(exchange).Append('\n');
        }

        var sweepId = await Database.StringIncrementAsync(_keys.SweepSequence).WaitAsync(ct);
        var now = DateTimeOffset.UtcNow;
        // One line per job, as StartSweep.lua reads them: exchange ids hold no space, JSON no raw newline.
        var jobs = new StringBuilder();
        foreach (var exchange in exchanges)
        {
            jobs.Append(exchange).Append(' ').Append(CoordinationJson.Write(new SweepJob(sweepId, exchange, 1, now, traceParent, traceState))).Append('\n');
        }

        var result = (RedisResult[])(await CoordinationScripts.StartSweep.EvaluateAsync(Database, new
        {
            current = _keys.CurrentSweep,
            latest = _keys.LatestSweep,
            active = _keys.Active,
            queue = _keys.Queue,
            jobData = _keys.JobData,
            attempts = _keys.Attempts,
            sweep = _keys.Sweep(sweepId),
            outcomes = _keys.SweepOutcomes(sweepId),
            sweepJobs = _keys.SweepJobs(sweepId),
            sweepId,
            force = force ? "1" : "0",
            wakeChannel = _keys.QueueWake.ToString(),
            skippedOutcome = CoordinationJson.Write(ExchangeOutcome.Skipped(now)),
            notSimulated = leftOut.ToString(),
            notSimulatedOutcome = CoordinationJson.Write(ExchangeOutcome.NotSimulated(now)),
            retentionMs = RetentionMs,
            jobs = jobs.ToString(),
        }, ct))!;
        return (int)result[0] == 1
            ? new SweepStartResult(true, sweepId, [.. result.Skip(2).Select(r => (string)r!)])
            : new SweepStartResult(false, (long)result[1], []);
    }

    /// <summary>The sweep's counts and outcomes, or null if there is no such sweep.</summary>
    /// <exception cref="InvalidDataException">Its keys hold something this service did not write.</exception>
    public async Task<SweepStatus?> GetSweepAsync(long sweepId, CancellationToken ct)
    {
        var result = (RedisResult[])(await UnreadableData.GuardAsync(
            $"keys '{_keys.Sweep(sweepId)}', '{_keys.SweepOutcomes(sweepId)}' or '{_keys.Leases}'",
            () => CoordinationScripts.ReadSweep.EvaluateAsync(Database, new { sweep = _keys.Sweep(sweepId), outcomes = _keys.SweepOutcomes(sweepId), leases = _keys.Leases, sweepId }, ct)))!;
        var fields = ToDictionary((RedisResult[])result[0]!);
        if (fields.Count == 0)
        {
            return null;
        }

        var claimed = (int)result[2];
        var outcomes = ToDictionary((RedisResult[])result[1]!).ToDictionary(
            o => o.Key, o => CoordinationJson.Read<ExchangeOutcome>(o.Value, $"{_keys.SweepOutcomes(sweepId)} {o.Key}"), StringComparer.Ordinal);
        int Count(string field) => fields.TryGetValue(field, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : 0;
        int Outcomes(ExchangeOutcomeKind kind) => Count(StoredName<ExchangeOutcomeKind>.Of(kind));
        var total = Count("total");
        return new SweepStatus(
            sweepId,
            StoredName<SweepState>.Parse(fields["state"], _keys.Sweep(sweepId).ToString()),
            CoordinationJson.FromUnixMs(long.Parse(fields["createdAt"], System.Globalization.CultureInfo.InvariantCulture)),
            fields.TryGetValue("finishedAt", out var finished) ? CoordinationJson.FromUnixMs(long.Parse(finished, System.Globalization.CultureInfo.InvariantCulture)) : null,
            total,
            Math.Max(0, total - Count("done") - claimed),
            claimed,
            Outcomes(ExchangeOutcomeKind.Succeeded),
            Outcomes(ExchangeOutcomeKind.Partial),
            Outcomes(ExchangeOutcomeKind.Failed),
            Outcomes(ExchangeOutcomeKind.DeadLettered),
            Outcomes(ExchangeOutcomeKind.Cancelled),
            outcomes);
    }

    public async Task<SweepStatus?> GetLatestSweepAsync(CancellationToken ct) =>
        await Database.StringGetAsync(_keys.LatestSweep).WaitAsync(ct) is { HasValue: true } latest && long.TryParse(latest.ToString(), out var id)
            ? await GetSweepAsync(id, ct)
            : null;

    /// <summary>
    /// Cancels a running sweep: queued and retrying jobs end cancelled at once; running ones end
    /// cancelled too, and their workers learn it from LeaseLost or a refused write. False if the
    /// sweep is not running.
    /// </summary>
    public async Task<bool> CancelSweepAsync(long sweepId, CancellationToken ct)
    {
        var result = await CoordinationScripts.CancelSweep.EvaluateAsync(Database, new
        {
            sweep = _keys.Sweep(sweepId),
            outcomes = _keys.SweepOutcomes(sweepId),
            sweepJobs = _keys.SweepJobs(sweepId),
            current = _keys.CurrentSweep,
            active = _keys.Active,
            queue = _keys.Queue,
            delayed = _keys.Delayed,
            leases = _keys.Leases,
            leaseInfo = _keys.LeaseInfo,
            jobData = _keys.JobData,
            attempts = _keys.Attempts,
            sweepId,
            cancelledOutcome = CoordinationJson.Write(ExchangeOutcome.Cancelled(DateTimeOffset.UtcNow)),
            retentionMs = RetentionMs,
        }, ct);
        return (int)result == 1;
    }

    /// <summary>Duration of each exchange's last completed job (succeeded, partial or failed).</summary>
    public async Task<IReadOnlyDictionary<string, TimeSpan>> GetLastDurationsAsync(CancellationToken ct)
    {
        var entries = await Database.HashGetAllAsync(_keys.Durations).WaitAsync(ct);
        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (long.TryParse(entry.Value.ToString(), out var ms))
            {
                durations[entry.Name.ToString()] = TimeSpan.FromMilliseconds(ms);
            }
        }

        return durations;
    }

    /// <summary>
    /// Re-enqueues jobs of a running sweep that have no outcome and are neither queued,
    /// waiting for a retry nor leased (lost by a Redis restart). Returns how many.
    /// </summary>
    public async Task<int> ReconcileAsync(long sweepId, CancellationToken ct) =>
        (int)await CoordinationScripts.ReconcileSweep.EvaluateAsync(Database, new
        {
            sweep = _keys.Sweep(sweepId),
            outcomes = _keys.SweepOutcomes(sweepId),
            sweepJobs = _keys.SweepJobs(sweepId),
            active = _keys.Active,
            queue = _keys.Queue,
            delayed = _keys.Delayed,
            leases = _keys.Leases,
            jobData = _keys.JobData,
            attempts = _keys.Attempts,
            sweepId,
            wakeChannel = _keys.QueueWake.ToString(),
        }, ct);

    /// <summary>
    /// <see cref="ReconcileAsync"/> for every sweep that can have jobs outstanding: the current one
    /// and each one an exchange is active for, which includes an older sweep running a requeued
    /// dead letter (it never becomes current) and a sweep a forced start displaced. Returns the
    /// jobs re-enqueued by sweep; sweeps that lost nothing are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, int>> ReconcileRunningAsync(CancellationToken ct)
    {
        var current = await Database.StringGetAsync(_keys.CurrentSweep).WaitAsync(ct);
        var active = await Database.HashValuesAsync(_keys.Active).WaitAsync(ct);
        var requeued = new Dictionary<long, int>();
        // A value that is not a sweep id (someone else's write) names no sweep to reconcile.
        foreach (var sweepId in active.Append(current).Select(v => long.TryParse(v.ToString(), out var id) ? id : 0).Where(id => id > 0).Distinct())
        {
            if (await ReconcileAsync(sweepId, ct) is > 0 and var count)
            {
                requeued[sweepId] = count;
            }
        }

        return requeued;
    }

    /// <summary>Jobs ready to be claimed (not counting retries waiting for their backoff): one LLEN.</summary>
    public Task<long> GetQueueDepthAsync(CancellationToken ct) => Database.ListLengthAsync(_keys.Queue).WaitAsync(ct);

    private static Dictionary<string, string> ToDictionary(RedisResult[] flat)
    {
        var dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            dictionary[(string)flat[i]!] = (string)flat[i + 1]!;
        }

        return dictionary;
    }
}
