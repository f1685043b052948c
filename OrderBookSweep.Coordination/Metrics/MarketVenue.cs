using System.Text.Json.Serialization;
using OrderBookSweep.Coordination.Internal;

namespace OrderBookSweep.Coordination.Metrics;

/// <summary>
/// One exchange's latest book of a symbol as the market index holds it: not the levels, only
/// what comparing venues needs.
/// </summary>
public sealed record MarketVenue(
    string Exchange,
    long SweepId,
    DateTimeOffset FetchedAt,
    [property: JsonConverter(typeof(MarketInfoJsonConverter))] MarketInfo Market,
    [property: JsonConverter(typeof(BookMetricsJsonConverter))] BookMetrics Metrics) : StoredPayload;
