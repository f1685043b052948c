using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination;

/// <summary>
/// A JSON payload stored in Redis or published on a channel. Every one carries the format
/// version <c>"v"</c> as its first property; a reader refuses a version it does not know.
/// </summary>
public abstract record StoredPayload
{
    /// <summary>The only format written so far.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The payload's format version; <see cref="CurrentVersion"/> for everything this build writes.</summary>
    [JsonInclude]
    [JsonPropertyOrder(-1)]
    public int V { get; internal init; } = CurrentVersion;
}
