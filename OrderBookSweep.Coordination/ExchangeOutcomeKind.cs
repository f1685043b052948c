using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination;

/// <summary>
/// How one exchange of one sweep ended. Stored and served as the lower-case names below, which
/// the scripts also use as the sweep's counter fields.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExchangeOutcomeKind>))]
public enum ExchangeOutcomeKind
{
    /// <summary>Every symbol's book was fetched and stored.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>Some books were stored, some failed.</summary>
    [JsonStringEnumMemberName("partial")]
    Partial,

    /// <summary>Markets loaded but no book could be fetched.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Given up: a non-retryable error, or the last attempt failed or lapsed.</summary>
    [JsonStringEnumMemberName("dead-lettered")]
    DeadLettered,

    /// <summary>The sweep was cancelled before the job ended.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    /// <summary>Not enqueued: the exchange was already queued or in progress for another sweep.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>
    /// Not enqueued: the workers sweep an exchange simulator, which does not serve this exchange.
    /// Named once in the sweep's outcomes so that a default sweep in offline mode says what it left out.
    /// </summary>
    [JsonStringEnumMemberName("not-simulated")]
    NotSimulated,
}
