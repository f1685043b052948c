namespace OrderBookSweep.Coordination;

/// <summary>Published when a book is stored; <see cref="Key"/> is the Redis key to read it from.</summary>
public sealed record BookNotification(string Exchange, string Symbol, long SweepId, string Key) : StoredPayload;
