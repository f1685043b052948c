using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination.Metrics;

/// <summary>ccxt's market type, written as ccxt writes it: <c>spot</c>, <c>swap</c>, <c>future</c>, <c>option</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MarketType>))]
public enum MarketType
{
    [JsonStringEnumMemberName("spot")]
    Spot,

    /// <summary>A perpetual contract.</summary>
    [JsonStringEnumMemberName("swap")]
    Swap,

    /// <summary>A contract with an expiry.</summary>
    [JsonStringEnumMemberName("future")]
    Future,

    [JsonStringEnumMemberName("option")]
    Option,
}
