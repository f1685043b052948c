namespace OrderBookSweep.Coordination;

/// <summary>
/// A sweep's progress. The counters cover the enqueued jobs (<see cref="Total"/>): each is
/// queued (waiting or retrying), claimed (leased by a worker, working or waiting for one of the
/// global permits) or done with one of the outcomes. Skipped and not simulated exchanges appear
/// only in <see cref="Outcomes"/>.
/// </summary>
public sealed record SweepStatus(
    long SweepId,
    SweepState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    int Total,
    int Queued,
    int Claimed,
    int Succeeded,
    int Partial,
    int Failed,
    int DeadLettered,
    int Cancelled,
    IReadOnlyDictionary<string, ExchangeOutcome> Outcomes)
{
    /// <summary>Jobs with an outcome.</summary>
    public int Done => Succeeded + Partial + Failed + DeadLettered + Cancelled;

    /// <summary>Exchanges the sweep left out because the simulator does not serve them (never enqueued).</summary>
    public int NotSimulated => Outcomes.Values.Count(o => o.Outcome == ExchangeOutcomeKind.NotSimulated);
}
