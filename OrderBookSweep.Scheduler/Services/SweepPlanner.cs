using OrderBookSweep.Coordination;

namespace OrderBookSweep.Scheduler.Services;

/// <summary>
/// Decides which exchanges a sweep covers and in which order they are enqueued.
/// </summary>
/// <remarks>
/// With 5 permits and ~100 jobs whose lengths differ 50x (ccxt's rate limits), the order decides
/// the sweep's length: if the longest exchange starts last, everything waits for it. Longest
/// first (LPT list scheduling) finishes within 4/3 of the optimum. Lengths come from the
/// previous sweep, retries and their backoffs included (JobLease). An exchange never swept ranks
/// above them all, so a new one never starts last; among those, the one ccxt paces slowest
/// (rateLimit, from its description) first: pacing, not markets, is what makes an exchange long
/// (kraken's one call a second). An exchange the workers' simulator does not serve ranks last:
/// it ends at its first request.
/// A request that names no exchanges covers the catalog, less the exchanges not simulated, which
/// the plan names so that the sweep records them.
/// </remarks>
public static class SweepPlanner
{
    public static SweepPlan Plan(
        IReadOnlyList<string> requested,
        IReadOnlyCollection<ExchangeProfile> catalog,
        IReadOnlyDictionary<string, TimeSpan> lastDurations)
    {
        var known = catalog.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var wanted = requested.Count == 0
            ? [.. catalog.Where(e => e.Reach != ExchangeReach.NotSimulated).Select(e => e.Id)]
            : requested;
        IReadOnlyList<string> notSimulated = requested.Count == 0
            ? [.. catalog.Where(e => e.Reach == ExchangeReach.NotSimulated).Select(e => e.Id).Order(StringComparer.Ordinal)]
            : [];

        var malformed = wanted.Where(id => !ExchangeIds.IsWellFormed(id)).Distinct().ToList();
        var unknown = wanted.Where(id => ExchangeIds.IsWellFormed(id) && !known.ContainsKey(id)).Distinct().ToList();

        var ordered = wanted
            .Where(known.ContainsKey)
            .Distinct(StringComparer.Ordinal)
            .Select(id => known[id])
            .OrderBy(e => Rank(e, lastDurations))
            .ThenByDescending(e => lastDurations.TryGetValue(e.Id, out var d) ? d.TotalMilliseconds : e.RateLimitMs)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .Select(e => e.Id)
            .ToList();

        return new SweepPlan(ordered, malformed, unknown, notSimulated);
    }

    /// <summary>0: never swept; 1: swept before (by its last duration); 2: not simulated.</summary>
    private static int Rank(ExchangeProfile exchange, IReadOnlyDictionary<string, TimeSpan> lastDurations) =>
        exchange.Reach == ExchangeReach.NotSimulated ? 2 : lastDurations.ContainsKey(exchange.Id) ? 1 : 0;
}

/// <param name="NotSimulated">Left out of a sweep that named no exchanges: the simulator does not serve them.</param>
public sealed record SweepPlan(IReadOnlyList<string> Exchanges, IReadOnlyList<string> Malformed, IReadOnlyList<string> Unknown, IReadOnlyList<string> NotSimulated)
{
    public bool IsValid => Malformed.Count == 0 && Unknown.Count == 0 && Exchanges.Count > 0;
}
