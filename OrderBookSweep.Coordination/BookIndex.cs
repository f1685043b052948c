using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// Which (exchange, symbol) pairs have a stored book, kept by the script that stores each book
/// (PublishBooks.lua) so that a search never scans the keyspace: one sorted set of exchanges and one
/// of symbols per exchange, each member scored by when its newest book expires (the server's
/// clock). Entries past that score are left out of reads and pruned by the next write; the index is
/// advisory (a book may still expire a moment before its entry, and readers compare with their own
/// clock), so readers treat a missing book as gone.
/// </summary>
public sealed class BookIndex
{
    private readonly IConnectionMultiplexer _redis;
    private readonly CoordinationKeys _keys;

    public BookIndex(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options)
    {
        _redis = redis;
        _keys = new CoordinationKeys(options.Value.KeyPrefix);
    }

    /// <summary>Exchanges with at least one stored book, and how many, in id order.</summary>
    public async Task<IReadOnlyList<IndexedExchange>> GetExchangesAsync(CancellationToken ct)
    {
        var db = _redis.GetDatabase();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var exchanges = await db.SortedSetRangeByScoreAsync(_keys.BookExchanges, now, double.PositiveInfinity).WaitAsync(ct);
        var batch = db.CreateBatch();
        var counts = exchanges.Select(e => batch.SortedSetLengthAsync(_keys.BookSymbols(e.ToString()), now, double.PositiveInfinity)).ToArray();
        batch.Execute();
        await Task.WhenAll(counts).WaitAsync(ct);
        return [.. exchanges.Select((e, i) => new IndexedExchange(e.ToString(), (int)counts[i].Result)).OrderBy(e => e.Exchange, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Symbols of one exchange with a stored book, in order, containing <paramref name="search"/>
    /// (case-insensitive) if given; at most <paramref name="limit"/>, and the number that matched.
    /// </summary>
    public async Task<SymbolPage> GetSymbolsAsync(string exchange, string? search, int limit, CancellationToken ct)
    {
        Identifiers.Exchange(exchange);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var symbols = await _redis.GetDatabase().SortedSetRangeByScoreAsync(_keys.BookSymbols(exchange), now, double.PositiveInfinity).WaitAsync(ct);
        var matching = symbols.Select(s => s.ToString())
            .Where(s => string.IsNullOrEmpty(search) || s.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new SymbolPage(matching.Count, [.. matching.Take(limit)]);
    }
}

public sealed record IndexedExchange(string Exchange, int Books);

public sealed record SymbolPage(int Total, IReadOnlyList<string> Symbols);
