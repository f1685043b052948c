namespace OrderBookSweep.Coordination;

/// <summary>
/// A sweep's progress. <see cref="State"/> is <c>running</c>, <c>completed</c> or <c>cancelled</c>;
/// the counters cover the enqueued jobs (<see cref="Total"/>); skipped exchanges appear only in
/// <see cref="Outcomes"/>.
/// </summary>
public sealed record SweepStatus(
    long SweepId,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    int Total,
    int Queued,
    int Running,
    int Succeeded,
    int Partial,
    int Failed,
    int DeadLettered,
    int Cancelled,
    IReadOnlyDictionary<string, ExchangeOutcome> Outcomes);
