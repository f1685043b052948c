namespace OrderBookSweep.Coordination;

/// <summary>
/// The latest order book of one (exchange, symbol): bids best (highest) first, asks best
/// (lowest) first, each level <c>[price, amount]</c> as ccxt gave it.
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
    DateTimeOffset FetchedAt) : StoredPayload;
