using System.Collections.Concurrent;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>One served book in unified form: bids strictly descending, asks strictly ascending, never crossed.</summary>
public sealed record SimulatedBook(
    string Exchange,
    string Symbol,
    IReadOnlyList<BookLevel> Bids,
    IReadOnlyList<BookLevel> Asks,
    long Sequence,
    DateTimeOffset Time);

public readonly record struct BookLevel(decimal Price, decimal Amount);

/// <summary>
/// Deterministic books: level prices and amounts come from a Random seeded by (exchange, symbol,
/// sequence), the sequence counting the books served for that pair. Prices have 2 decimals and
/// amounts 4, so real ccxt's float parsing gives back exactly these values.
/// </summary>
public sealed class BookGenerator(TimeProvider timeProvider)
{
    public const int MaxSymbols = 5000;

    private const int TicksPerUnit = 100; // a tick is 0.01
    private const int MaxTicksBetweenLevels = 3;

    private readonly ConcurrentDictionary<(string Exchange, string Symbol), long> sequences = new();

    /// <summary>Real coins first (readable demos), then synthetic S0001... codes that no exchange renames.</summary>
    public static IReadOnlyList<string> BaseCurrencies(int count)
    {
        string[] real = ["BTC", "ETH", "SOL", "ADA", "DOT", "LTC", "LINK", "AVAX", "ATOM", "UNI", "AAVE", "NEAR",
            "FIL", "ALGO", "ETC", "TRX", "XLM", "EOS", "SAND", "MANA"];
        return real.Take(count).Concat(Enumerable.Range(1, Math.Max(0, count - real.Length)).Select(i => $"S{i:D4}")).ToArray();
    }

    public SimulatedBook Next(string exchange, string symbol, int depth)
    {
        var sequence = sequences.AddOrUpdate((exchange, symbol), 1, (_, s) => s + 1);
        var random = new Random(StableHash($"{exchange}|{symbol}|{sequence}"));
        // The level of the price depends on the symbol only; the sequence moves it by < 0.1 %.
        // 200 + ... keeps 5,000 levels of at most 3 ticks above zero.
        var anchor = 200 + StableHash(symbol) % 100_000;
        var midTicks = (int)Math.Round(anchor * TicksPerUnit * (1 + (random.NextDouble() - 0.5) / 1000));
        return new SimulatedBook(exchange, symbol,
            Side(random, midTicks - random.Next(1, MaxTicksBetweenLevels + 1), -1, depth),
            Side(random, midTicks + random.Next(1, MaxTicksBetweenLevels + 1), +1, depth),
            sequence, timeProvider.GetUtcNow());
    }

    // Whole ticks and whole 0.0001s, made into decimals by their scale alone: decimal arithmetic
    // (a division for every amount) was a good part of the time to serve a book.
    private static BookLevel[] Side(Random random, int bestTicks, int direction, int depth)
    {
        var levels = new BookLevel[depth];
        var ticks = bestTicks;
        for (var i = 0; i < depth; i++)
        {
            levels[i] = new BookLevel(new decimal(ticks, 0, 0, false, 2), new decimal(random.Next(1, 100_001), 0, 0, false, 4));
            ticks += direction * random.Next(1, MaxTicksBetweenLevels + 1);
        }
        return levels;
    }

    // FNV-1a: string.GetHashCode differs per process, and books must not.
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash & 0x7fffffff);
    }
}
