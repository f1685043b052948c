using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Metrics;

/// <summary>
/// Every venue's metrics for a symbol, and every symbol of a base currency, from the index the
/// publish script (PublishBooks.lua) keeps beside the books: per symbol a sorted set of exchanges
/// scored by when their book expires and a hash of their entries (<see cref="MarketVenue"/>), per
/// market type and base a sorted set of symbols. Never a keyspace scan, never a book's levels.
/// Like <see cref="BookIndex"/> it is advisory: entries past their score are left out.
/// </summary>
public sealed class MarketIndex
{
    /// <summary>At most this many symbols in one answer for a base (BTC has thousands of options).</summary>
    public const int MaxSymbols = 500;

    private readonly IConnectionMultiplexer _redis;
    private readonly CoordinationKeys _keys;

    public MarketIndex(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options)
    {
        _redis = redis;
        _keys = new CoordinationKeys(options.Value.KeyPrefix);
    }

    /// <summary>The venues with a live book of <paramref name="symbol"/>, in exchange id order; none if nobody has one.</summary>
    /// <exception cref="InvalidDataException">An entry is not one this service wrote.</exception>
    public async Task<MarketVenues> GetVenuesAsync(string symbol, CancellationToken ct)
    {
        Identifiers.Symbol(symbol);
        var batch = _redis.GetDatabase().CreateBatch();
        var read = Read(batch, symbol, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        batch.Execute();
        return await read;
    }

    /// <summary>
    /// The symbols of <paramref name="base"/> with a live book, of the given market type (all
    /// types if null) and quote currencies (all if empty), each with its venues, in symbol order;
    /// at most <see cref="MaxSymbols"/>, and whether more matched.
    /// </summary>
    /// <exception cref="InvalidDataException">An entry is not one this service wrote.</exception>
    public async Task<(IReadOnlyList<MarketVenues> Symbols, bool Truncated)> GetBaseAsync(
        string @base, IReadOnlyCollection<string> quotes, MarketType? type, CancellationToken ct)
    {
        if (!MarketInfo.IsCurrency(@base))
        {
            throw new ArgumentException($"'{@base}' is not a currency code: 1-{MarketInfo.MaxCurrencyLength} printable characters.", nameof(@base));
        }

        ArgumentNullException.ThrowIfNull(quotes);
        var db = _redis.GetDatabase();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var types = type is { } t ? new[] { t } : Enum.GetValues<MarketType>();
        var lists = await Task.WhenAll(types.Select(t => UnreadableData.GuardAsync(
            $"key '{_keys.MarketSymbols(t, @base)}'", () => db.SortedSetRangeByScoreAsync(_keys.MarketSymbols(t, @base), now, double.PositiveInfinity))));
        // ccxt's unified symbols spell the quote: BASE/QUOTE, then :SETTLE for a contract. The
        // entries' own quote is checked again below; this only saves reading other quotes' venues.
        var symbols = lists.SelectMany(list => list).Select(s => s.ToString())
            .Where(s => quotes.Count == 0 || quotes.Contains(SymbolQuote(s)))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        var batch = db.CreateBatch();
        var reads = symbols.Take(MaxSymbols).Select(symbol => Read(batch, symbol, now)).ToList();
        batch.Execute();
        var found = await Task.WhenAll(reads);
        var matching = found
            .Select(m => m with { Venues = [.. m.Venues.Where(v => (quotes.Count == 0 || quotes.Contains(v.Market.Quote)) && v.Market.Base == @base)] })
            .Where(m => m.Venues.Count > 0)
            .ToList();
        return (matching, symbols.Count > MaxSymbols);
    }

    private async Task<MarketVenues> Read(IBatch batch, string symbol, long now)
    {
        var venuesKey = _keys.MarketVenues(symbol);
        var entriesKey = _keys.MarketEntries(symbol);
        var live = batch.SortedSetRangeByScoreAsync(venuesKey, now, double.PositiveInfinity);
        var entries = batch.HashGetAllAsync(entriesKey);
        var keys = $"keys '{venuesKey}' and '{entriesKey}'";
        var exchanges = (await UnreadableData.GuardAsync(keys, () => live)).Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
        var venues = (await UnreadableData.GuardAsync(keys, () => entries))
            .Where(entry => exchanges.Contains(entry.Name.ToString()))
            .Select(entry => CoordinationJson.Read<MarketVenue>(entry.Value.ToString(), $"{entriesKey}/{entry.Name}"))
            .OrderBy(venue => venue.Exchange, StringComparer.Ordinal)
            .ToList();
        return new MarketVenues(symbol, venues);
    }

    /// <summary>QUOTE in BASE/QUOTE or BASE/QUOTE:SETTLE...; "" if the symbol has no '/'.</summary>
    internal static string SymbolQuote(string symbol)
    {
        var slash = symbol.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return "";
        }

        var colon = symbol.IndexOf(':', slash + 1);
        return colon < 0 ? symbol[(slash + 1)..] : symbol[(slash + 1)..colon];
    }
}

/// <summary>One symbol's venues: one entry per exchange with a live book of it.</summary>
public sealed record MarketVenues(string Symbol, IReadOnlyList<MarketVenue> Venues);
