namespace OrderBookSweep.Coordination;

/// <summary>
/// The latest order book of one (exchange, symbol): levels are <c>[price, amount, ...]</c>
/// arrays as the exchange gave them.
/// </summary>
public sealed record BookSnapshot(
    string Exchange,
    string Symbol,
    IReadOnlyList<decimal[]> Bids,
    IReadOnlyList<decimal[]> Asks,
    long? Timestamp,
    string? Datetime,
    long? Nonce,
    long SweepId,
    string Worker,
    DateTimeOffset FetchedAt) : StoredPayload;
