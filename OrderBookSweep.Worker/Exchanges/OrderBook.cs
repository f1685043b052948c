using OrderBookSweep.Coordination;

namespace OrderBookSweep.Worker.Exchanges;

/// <summary>ccxt's unified order book: bids best (highest) first, asks best (lowest) first.</summary>
public sealed record OrderBook(
    string Symbol,
    IReadOnlyList<OrderBookLevel> Bids,
    IReadOnlyList<OrderBookLevel> Asks,
    long? Timestamp,
    string? Datetime,
    long? Nonce);
