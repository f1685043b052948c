using OrderBookSweep.Coordination;

namespace OrderBookSweep.Scheduler.Services;

/// <summary>
/// Decides which exchanges a sweep covers and in which order they are enqueued.
/// </summary>
/// <remarks>
/// With 5 permits and ~100 jobs whose lengths differ 50x (ccxt's rate limits), the order decides
/// the sweep's length: if the longest exchange starts last, everything waits for it. Longest
/// first (LPT list scheduling) finishes within 4/3 of the optimum. Lengths come from the
/// previous sweep, retries and their backoffs included (JobLease); an exchange never seen is
/// ranked as longest, so a new one never starts last.
/// </remarks>
public static class SweepPlanner
{
    public static SweepPlan Plan(
        IReadOnlyList<string> requested,
        IReadOnlyCollection<string> catalog,
        IReadOnlyDictionary<string, TimeSpan> lastDurations)
    {
        var known = catalog as IReadOnlySet<string> ?? catalog.ToHashSet(StringComparer.Ordinal);
        var wanted = requested.Count == 0 ? catalog : requested;

        var malformed = wanted.Where(id => !ExchangeIds.IsWellFormed(id)).Distinct().ToList();
        var unknown = wanted.Where(id => ExchangeIds.IsWellFormed(id) && !known.Contains(id)).Distinct().ToList();

        var ordered = wanted
            .Where(known.Contains)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(id => lastDurations.TryGetValue(id, out var d) ? d : TimeSpan.MaxValue)
            .ThenBy(id => id, StringComparer.Ordinal)
            .ToList();

        return new SweepPlan(ordered, malformed, unknown);
    }
}

public sealed record SweepPlan(IReadOnlyList<string> Exchanges, IReadOnlyList<string> Malformed, IReadOnlyList<string> Unknown)
{
    public bool IsValid => Malformed.Count == 0 && Unknown.Count == 0 && Exchanges.Count > 0;
}
