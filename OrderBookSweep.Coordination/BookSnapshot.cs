using System.Text.Json.Serialization;
using OrderBookSweep.Coordination.Internal;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination;

/// <summary>
/// The latest order book of one (exchange, symbol): bids best (highest) first, asks best
/// (lowest) first, each level <c>[price, amount]</c> as ccxt gave it; its market's type and
/// contract terms, and the metrics computed from it when it was fetched. Books written before
/// metrics existed read with both null.
/// </summary>
public sealed record BookSnapshot(
    string Exchange,
    string Symbol,
    IReadOnlyList<OrderBookLevel> Bids,
    IReadOnlyList<OrderBookLevel> Asks,
    long? Timestamp,
    string? Datetime,
    long? Nonce,
    long SweepId,
    string Worker,
    DateTimeOffset FetchedAt,
    [property: JsonConverter(typeof(MarketInfoJsonConverter))] MarketInfo? Market = null,
    [property: JsonConverter(typeof(BookMetricsJsonConverter))] BookMetrics? Metrics = null) : StoredPayload;
