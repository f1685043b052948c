using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Worker.Exchanges;

/// <summary>
/// ccxt's unified order book: bids best (highest) first, asks best (lowest) first; with its
/// market's type and contract terms (null if ccxt's market did not give them usably).
/// </summary>
public sealed record OrderBook(
    string Symbol,
    IReadOnlyList<OrderBookLevel> Bids,
    IReadOnlyList<OrderBookLevel> Asks,
    long? Timestamp,
    string? Datetime,
    long? Nonce,
    MarketInfo? Market = null);
