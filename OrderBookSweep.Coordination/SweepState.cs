using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination;

/// <summary>A sweep's state, stored and served as the lower-case names below.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SweepState>))]
public enum SweepState
{
    /// <summary>Some enqueued job has no outcome yet.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Every enqueued job has its outcome.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>Cancelled: the jobs without an outcome ended cancelled.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
