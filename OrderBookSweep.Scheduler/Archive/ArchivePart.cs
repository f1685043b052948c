using System.Text.Json.Serialization;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>The three files of an archived sweep, named as the API's <c>part</c> and the archive's folders spell them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArchivePart>))]
public enum ArchivePart
{
    /// <summary>One row per price level.</summary>
    [JsonStringEnumMemberName("books")]
    Books,

    /// <summary>One row per book: its liquidity metrics.</summary>
    [JsonStringEnumMemberName("metrics")]
    Metrics,

    /// <summary>One row per exchange: how it ended.</summary>
    [JsonStringEnumMemberName("outcomes")]
    Outcomes,
}
