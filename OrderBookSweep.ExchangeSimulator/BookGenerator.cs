using System.Collections.Concurrent;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// One served book in unified form: bids strictly descending, asks strictly ascending, not crossed
/// unless its exchange is set to serve crossed books (<see cref="ExchangeSettings.Crossed"/>).
/// </summary>
public sealed record SimulatedBook(
    string Exchange,
    string Symbol,
    IReadOnlyList<BookLevel> Bids,
    IReadOnlyList<BookLevel> Asks,
    long Sequence,
    DateTimeOffset Time)
{
    /// <summary>The bids moved up by twice the spread, each side still in order: the best bid is as far above the best ask as it was below.</summary>
    public SimulatedBook Crossed()
    {
        if (Bids.Count == 0 || Asks.Count == 0)
        {
            return this;
        }

        var shift = 2 * (Asks[0].Price - Bids[0].Price);
        return this with { Bids = [.. Bids.Select(level => level with { Price = level.Price + shift })] };
    }
}

public readonly record struct BookLevel(decimal Price, decimal Amount);

/// <summary>
/// Deterministic books: level prices and amounts come from a Random seeded by (exchange, symbol,
/// sequence), the sequence counting the books served for that pair. The mid sits within 0.05 % of
/// the market's <see cref="SimulatedMarket.FairPrice"/>; levels are whole ticks and whole amount
/// units of the market, so real ccxt's float parsing gives back exactly these values. A bid side
/// ends early where it would reach zero (a cheap option has few ticks below its price).
/// </summary>
public sealed class BookGenerator(TimeProvider timeProvider)
{
    public const int MaxSymbols = 5000;

    private const int MaxTicksBetweenLevels = 3;

    // The fewest ticks a mid may have: the best bid stays above zero.
    private const long MinMidTicks = 2 * MaxTicksBetweenLevels;

    private readonly ConcurrentDictionary<(string Exchange, string Symbol), long> _sequences = new();

    public SimulatedBook Next(SimulatedMarket market, int depth)
    {
        var sequence = _sequences.AddOrUpdate((market.Exchange, market.Symbol), 1, (_, s) => s + 1);
        var random = new Random(StableHash($"{market.Exchange}|{market.Symbol}|{sequence}"));
        var midTicks = Math.Max(MinMidTicks,
            (long)Math.Round(market.FairPrice * Math.Pow(10, market.PriceDecimals) * (1 + (random.NextDouble() - 0.5) / 1000)));
        return new SimulatedBook(market.Exchange, market.Symbol,
            Side(random, midTicks - random.Next(1, MaxTicksBetweenLevels + 1), -1, depth, market),
            Side(random, midTicks + random.Next(1, MaxTicksBetweenLevels + 1), +1, depth, market),
            sequence, timeProvider.GetUtcNow());
    }

    // FNV-1a: string.GetHashCode differs per process, and books must not.
    internal static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash & 0x7fffffff);
    }

    // Whole ticks and whole amount units, made into decimals by their scale alone: decimal arithmetic
    // (a division for every amount) was a good part of the time to serve a book.
    private static BookLevel[] Side(Random random, long bestTicks, int direction, int depth, SimulatedMarket market)
    {
        var levels = new BookLevel[depth];
        var priceScale = (byte)market.PriceDecimals;
        var amountScale = (byte)market.AmountDecimals;
        var count = 0;
        for (var ticks = bestTicks; count < depth && ticks > 0; ticks += direction * random.Next(1, MaxTicksBetweenLevels + 1))
        {
            levels[count++] = new BookLevel(new decimal((int)ticks, (int)(ticks >> 32), 0, false, priceScale),
                new decimal(random.Next(1, 100_001), 0, 0, false, amountScale));
        }
        return count == depth ? levels : levels[..count];
    }
}
