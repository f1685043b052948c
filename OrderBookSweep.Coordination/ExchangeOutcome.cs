namespace OrderBookSweep.Coordination;

/// <summary>
/// The terminal outcome of one exchange in one sweep. <see cref="Outcome"/> is one of
/// <see cref="Outcomes"/>'s constants.
/// </summary>
public sealed record ExchangeOutcome(
    string Outcome,
    int SymbolsOk,
    int SymbolsFailed,
    IReadOnlyDictionary<string, int> ErrorsByClass,
    string? ErrorClass,
    string? Message,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Attempts,
    string? Worker)
{
    public static class Outcomes
    {
        public const string Succeeded = "succeeded";
        public const string Partial = "partial";
        public const string Failed = "failed";
        public const string DeadLettered = "dead-lettered";
        public const string Cancelled = "cancelled";
        public const string Skipped = "skipped";
    }
}
