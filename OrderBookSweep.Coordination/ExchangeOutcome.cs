using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination;

/// <summary>
/// The terminal outcome of one exchange in one sweep. Made by the factories below, each of which
/// says what happened; <see cref="JobLease"/> stamps the attempt and the worker when it records one.
/// </summary>
public sealed record ExchangeOutcome : StoredPayload
{
    [JsonConstructor]
    internal ExchangeOutcome(
        ExchangeOutcomeKind outcome,
        int symbolsOk,
        int symbolsFailed,
        IReadOnlyDictionary<string, int> errorsByClass,
        string? errorClass,
        string? message,
        DateTimeOffset? startedAt,
        DateTimeOffset? finishedAt,
        int attempts,
        string? worker,
        double? medianSpreadBps = null)
    {
        Outcome = outcome;
        SymbolsOk = symbolsOk;
        SymbolsFailed = symbolsFailed;
        ErrorsByClass = errorsByClass;
        ErrorClass = errorClass;
        Message = message;
        StartedAt = startedAt;
        FinishedAt = finishedAt;
        Attempts = attempts;
        Worker = worker;
        MedianSpreadBps = medianSpreadBps;
    }

    public ExchangeOutcomeKind Outcome { get; init; }

    public int SymbolsOk { get; init; }

    public int SymbolsFailed { get; init; }

    public IReadOnlyDictionary<string, int> ErrorsByClass { get; init; }

    /// <summary>The exchange's error, or the most frequent symbol error; null when none failed.</summary>
    public string? ErrorClass { get; init; }

    public string? Message { get; init; }

    /// <summary>When the work on the exchange started: its permit acquired, the wait for one not counted.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The attempt that ended the job (1-based); 0 for jobs never claimed.</summary>
    public int Attempts { get; init; }

    public string? Worker { get; init; }

    /// <summary>
    /// The median spread of the books stored for the exchange in this sweep, in basis points: its
    /// liquidity at a glance. Null when no book had a spread (none stored, or each with an empty side).
    /// </summary>
    public double? MedianSpreadBps { get; init; }

    /// <summary>
    /// The exchange was swept to the end: <see cref="ExchangeOutcomeKind.Succeeded"/> if every
    /// symbol's book was stored, <see cref="ExchangeOutcomeKind.Partial"/> if some were,
    /// <see cref="ExchangeOutcomeKind.Failed"/> if none were.
    /// </summary>
    public static ExchangeOutcome Swept(
        int symbolsOk, IReadOnlyDictionary<string, int> errorsByClass, DateTimeOffset startedAt, DateTimeOffset finishedAt, double? medianSpreadBps = null)
    {
        ArgumentNullException.ThrowIfNull(errorsByClass);
        var symbolsFailed = errorsByClass.Values.Sum();
        var kind = symbolsFailed == 0 ? ExchangeOutcomeKind.Succeeded : symbolsOk > 0 ? ExchangeOutcomeKind.Partial : ExchangeOutcomeKind.Failed;
        var mostFrequent = errorsByClass.OrderByDescending(e => e.Value).Select(e => e.Key).FirstOrDefault();
        return new(kind, symbolsOk, symbolsFailed, errorsByClass, mostFrequent, null, startedAt, finishedAt, 0, null, medianSpreadBps);
    }

    /// <summary>The exchange as a whole failed (not created, markets not loaded): no book was fetched.</summary>
    public static ExchangeOutcome Failed(string errorClass, string message, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorClass);
        return new(ExchangeOutcomeKind.Failed, 0, 0, new Dictionary<string, int> { [errorClass] = 1 }, errorClass, message, startedAt, finishedAt, 0, null);
    }

    /// <summary>Not enqueued: the exchange was already queued or in progress for another sweep.</summary>
    internal static ExchangeOutcome Skipped(DateTimeOffset at) =>
        new(ExchangeOutcomeKind.Skipped, 0, 0, new Dictionary<string, int>(), null, "already queued or in progress for another sweep", null, at, 0, null);

    /// <summary>Not enqueued: the simulator the workers sweep does not serve the exchange.</summary>
    internal static ExchangeOutcome NotSimulated(DateTimeOffset at) =>
        new(ExchangeOutcomeKind.NotSimulated, 0, 0, new Dictionary<string, int>(), null, "not served by the exchange simulator", null, at, 0, null);

    /// <summary>The sweep was cancelled before this job ended.</summary>
    internal static ExchangeOutcome Cancelled(DateTimeOffset at) =>
        new(ExchangeOutcomeKind.Cancelled, 0, 0, new Dictionary<string, int>(), null, "sweep cancelled", null, at, 0, null);

    /// <summary>A lapsed lease on the last attempt: nobody is left to report, so the claimer that found it gives it up.</summary>
    internal static ExchangeOutcome Lapsed(string errorClass, string message, int attempts, DateTimeOffset at) =>
        new(ExchangeOutcomeKind.DeadLettered, 0, 0, new Dictionary<string, int>(), errorClass, message, null, at, attempts, null);

    /// <summary>This failure, given up: the job ends dead-lettered with what it did so far.</summary>
    internal ExchangeOutcome DeadLettered(DateTimeOffset at) =>
        this with { Outcome = ExchangeOutcomeKind.DeadLettered, FinishedAt = FinishedAt ?? at };

    /// <summary>Who recorded it, and at which attempt.</summary>
    internal ExchangeOutcome StampedBy(int attempt, string workerId) => this with { Attempts = attempt, Worker = Worker ?? workerId };
}
