using OrderBookSweep.Coordination;

namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>One sweep through the running system, timed from its creation to its last outcome.</summary>
public static class SystemSweep
{
    /// <summary>ccxt's exchange list as the workers publish it: the list the scheduler sweeps by default.</summary>
    public static async Task<IReadOnlyList<string>> CcxtExchangesAsync(SweepSystem system)
    {
        using var redis = await system.ConnectRedisAsync();
        var catalog = new ExchangeCatalog(redis, Microsoft.Extensions.Options.Options.Create(new CoordinationOptions()));
        return await catalog.GetAsync(CancellationToken.None)
            ?? throw new InvalidOperationException("the workers have not published ccxt's exchange list");
    }

    /// <param name="mustSucceed">Exchanges whose every book must be fetched (default: all of them);
    /// the others may end in any outcome (in a full sweep, those the simulator does not serve).</param>
    public static async Task<SweepResult> RunAsync(
        SweepSystem system, IReadOnlyList<string> exchanges, TimeSpan timeout, IReadOnlyCollection<string>? mustSucceed = null)
    {
        var sweepId = await system.StartSweepAsync([.. exchanges]);
        var status = await system.WaitForSweepAsync(sweepId, timeout);
        var notSucceeded = status.Outcomes
            .Where(o => (mustSucceed ?? exchanges).Contains(o.Key) && o.Value.Outcome != ExchangeOutcomeKind.Succeeded)
            .ToList();
        if (status.State != SweepState.Completed || notSucceeded.Count > 0)
        {
            throw new InvalidOperationException(
                $"sweep {sweepId} ended {status.State}: {string.Join(", ", notSucceeded.Select(o => $"{o.Key} {o.Value.Outcome} {o.Value.ErrorClass}"))}");
        }

        // From the sweep's creation (scheduler) to its last exchange's outcome (worker): one machine, one clock.
        var lastOutcome = status.Outcomes.Values.Max(o => o.FinishedAt!.Value);
        return new SweepResult(
            lastOutcome - status.CreatedAt,
            status.Outcomes.Values.Sum(o => (long)o.SymbolsOk),
            status.Outcomes.Where(o => o.Value.StartedAt is not null)
                .ToDictionary(o => o.Key, o => o.Value.FinishedAt!.Value - o.Value.StartedAt!.Value, StringComparer.Ordinal),
            status.Outcomes.Values.Select(o => o.Worker).OfType<string>().Distinct().ToList(),
            status);
    }
}

/// <summary>
/// A completed sweep: its length, books published, each exchange's duration (from its permit,
/// as its outcome records it), the workers that took part, its status as the API gave it.
/// </summary>
public sealed record SweepResult(
    TimeSpan Elapsed, long Books, IReadOnlyDictionary<string, TimeSpan> Durations, IReadOnlyList<string> Workers, SweepStatus Status)
{
    public double BooksPerSecond => Books / Elapsed.TotalSeconds;

    /// <summary>The exchange whose outcome came last, and that outcome.</summary>
    public KeyValuePair<string, ExchangeOutcome> LastToFinish => Status.Outcomes.MaxBy(o => o.Value.FinishedAt);

    /// <summary>Seconds from the sweep's creation to <paramref name="at"/> (an outcome's permit or end).</summary>
    public double SecondsIn(DateTimeOffset? at) => ((at ?? Status.CreatedAt) - Status.CreatedAt).TotalSeconds;
}
