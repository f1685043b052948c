using System.Text.Json.Serialization;
using OrderBookSweep.Coordination.Internal;

namespace OrderBookSweep.Coordination.Metrics;

/// <summary>
/// A book's liquidity at a glance, computed once when the book is stored
/// (<see cref="BookMetricsCalculator"/>; definitions and units in docs/metrics.md). A number the
/// book cannot give soundly (an empty side, an option's depth) is null, never invented.
/// </summary>
/// <param name="BestBid">The highest bid price with a positive amount; null with no bids.</param>
/// <param name="BestAsk">The lowest ask price with a positive amount; null with no asks.</param>
/// <param name="Mid">(bestBid + bestAsk) / 2; null unless both sides have a level.</param>
/// <param name="SpreadBps">(bestAsk − bestBid) / mid × 10,000; negative on a crossed book.</param>
/// <param name="Depth">One band per configured percent, ascending; null without a mid, or on an option or a contract of unknown terms.</param>
/// <param name="Slippage">One estimate per configured notional, ascending; null where <paramref name="Depth"/> is.</param>
/// <param name="BidLevels">Bid levels with a positive amount.</param>
/// <param name="AskLevels">Ask levels with a positive amount.</param>
/// <param name="Crossed">bestBid ≥ bestAsk.</param>
/// <param name="AgeMs">When the book was fetched minus the exchange's timestamp of it; null when the exchange sent none.</param>
/// <remarks>Stored and served with the computed figures to 10 significant digits; the best prices are the levels' own.</remarks>
public sealed record BookMetrics(
    double? BestBid,
    double? BestAsk,
    [property: JsonConverter(typeof(MetricNumberJsonConverter))] double? Mid,
    [property: JsonConverter(typeof(MetricNumberJsonConverter))] double? SpreadBps,
    IReadOnlyList<DepthBand>? Depth,
    IReadOnlyList<SlippageEstimate>? Slippage,
    int BidLevels,
    int AskLevels,
    bool Crossed,
    long? AgeMs);

/// <summary>
/// What the book holds within <paramref name="Percent"/>% of the mid: bids priced at least
/// mid × (1 − p/100), asks at most mid × (1 + p/100); in base currency and as quote-currency notional.
/// </summary>
public readonly record struct DepthBand(
    double Percent,
    [property: JsonConverter(typeof(MetricNumberJsonConverter))] double BidBase,
    [property: JsonConverter(typeof(MetricNumberJsonConverter))] double AskBase,
    [property: JsonConverter(typeof(MetricNumberJsonConverter))] double BidQuote,
    [property: JsonConverter(typeof(MetricNumberJsonConverter))] double AskQuote);

/// <summary>
/// How far a market order of <paramref name="Notional"/> (quote currency) would move from the mid, in
/// basis points: a buy walks the asks, a sell the bids; null when the side holds less than the notional.
/// </summary>
public readonly record struct SlippageEstimate(
    double Notional,
    [property: JsonConverter(typeof(MetricNumberJsonConverter))] double? BuyBps,
    [property: JsonConverter(typeof(MetricNumberJsonConverter))] double? SellBps);
