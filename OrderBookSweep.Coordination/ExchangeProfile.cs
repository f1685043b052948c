using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination;

/// <summary>
/// What is known of an exchange before its markets load, from ccxt's description of it: the
/// scheduler orders a sweep's never-swept exchanges by it, and leaves out of a default sweep the
/// exchanges the workers' simulator does not serve.
/// </summary>
/// <param name="RateLimitMs">ccxt's rateLimit: milliseconds between two of its REST calls of cost 1.</param>
public sealed record ExchangeProfile(string Id, double RateLimitMs, ExchangeReach Reach);

/// <summary>Where the workers' ccxt sends an exchange's requests. Stored as the lower-case names below.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExchangeReach>))]
public enum ExchangeReach
{
    /// <summary>To the exchange itself, or to a stand-in that does not say what it serves.</summary>
    [JsonStringEnumMemberName("direct")]
    Direct,

    /// <summary>To the exchange simulator, which serves the exchange (or the hosts it uses).</summary>
    [JsonStringEnumMemberName("simulated")]
    Simulated,

    /// <summary>To the exchange simulator, which does not serve it: every request would fail.</summary>
    [JsonStringEnumMemberName("not-simulated")]
    NotSimulated,
}
