using System.Globalization;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// Sweeps newest first, without their per-exchange outcomes. Sweep ids come from one counter,
/// so a page walks ids downwards from a cursor and reads each sweep's hash in one pipelined
/// round: no key scan. Ids with no hash (refused starts, expired sweeps) are passed over.
/// </summary>
public sealed class SweepHistory
{
    /// <summary>Ids looked at per page beyond the page size before giving up on older sweeps.</summary>
    private const int MaxGapPerPage = 500;

    private static readonly RedisValue[] Fields =
    [
        "state", "createdAt", "finishedAt", "total", "done",
        Outcome(ExchangeOutcomeKind.Succeeded), Outcome(ExchangeOutcomeKind.Partial), Outcome(ExchangeOutcomeKind.Failed),
        Outcome(ExchangeOutcomeKind.DeadLettered), Outcome(ExchangeOutcomeKind.Cancelled),
    ];

    private readonly IConnectionMultiplexer _redis;
    private readonly CoordinationKeys _keys;

    public SweepHistory(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options)
    {
        _redis = redis;
        _keys = new CoordinationKeys(options.Value.KeyPrefix);
    }

    /// <summary>Up to <paramref name="limit"/> sweeps with ids below <paramref name="before"/> (newest if null).</summary>
    public async Task<SweepPage> GetPageAsync(long? before, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var db = _redis.GetDatabase();
        var newest = (long?)await db.StringGetAsync(_keys.SweepSequence).WaitAsync(ct) ?? 0;
        var next = Math.Min(newest, (before ?? long.MaxValue) - 1);
        var last = Math.Max(1, next - limit - MaxGapPerPage + 1);
        var items = new List<SweepListItem>(limit);
        while (next >= last && items.Count < limit)
        {
            var ids = new List<long>();
            for (var id = next; id >= last && ids.Count < limit - items.Count; id--)
            {
                ids.Add(id);
            }

            var batch = db.CreateBatch();
            var reads = ids.Select(id => batch.HashGetAsync(_keys.Sweep(id), Fields)).ToArray();
            batch.Execute();
            var values = await Task.WhenAll(reads).WaitAsync(ct);
            for (var i = 0; i < ids.Count; i++)
            {
                if (Read(ids[i], values[i]) is { } item)
                {
                    items.Add(item);
                }
            }

            next = ids[^1] - 1;
        }

        return new SweepPage(items, next >= 1 ? next + 1 : null);
    }

    private static RedisValue Outcome(ExchangeOutcomeKind outcome) => StoredName<ExchangeOutcomeKind>.Of(outcome);

    private SweepListItem? Read(long sweepId, RedisValue[] v)
    {
        if (v[0].IsNull || v[1].IsNull)
        {
            return null;
        }

        int Count(int i) => v[i].IsNull ? 0 : int.Parse(v[i].ToString(), CultureInfo.InvariantCulture);
        return new SweepListItem(
            sweepId,
            StoredName<SweepState>.Parse(v[0].ToString(), _keys.Sweep(sweepId).ToString()),
            CoordinationJson.FromUnixMs((long)v[1]),
            v[2].IsNull ? null : CoordinationJson.FromUnixMs((long)v[2]),
            Count(3), Count(4), Count(5), Count(6), Count(7), Count(8), Count(9));
    }
}

/// <summary>A page of sweeps and the cursor of the next one (pass it as <c>before</c>), null at the oldest.</summary>
public sealed record SweepPage(IReadOnlyList<SweepListItem> Items, long? NextBefore);

/// <summary>A sweep as the history lists it: its state, times and counts per outcome (of <see cref="Total"/> enqueued jobs).</summary>
public sealed record SweepListItem(
    long SweepId,
    SweepState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    int Total,
    int Done,
    int Succeeded,
    int Partial,
    int Failed,
    int DeadLettered,
    int Cancelled);
