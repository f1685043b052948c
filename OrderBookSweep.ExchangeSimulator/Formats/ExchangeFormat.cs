using System.Collections.Frozen;
using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

public enum EndpointKind
{
    Markets,
    OrderBook,
}

/// <summary>A request for a book: the exchange's market id and the depth it asked for (null: no limit parameter).</summary>
public readonly record struct BookRequest(string MarketId, int? Limit);

/// <summary>
/// One real exchange's public REST formats, as real ccxt 4.5.84 calls and parses them for spot
/// loadMarkets and fetchOrderBook. Paths are what follows the host ("/api/v3/depth").
/// </summary>
public abstract class ExchangeFormat
{
    public abstract string Id { get; }

    /// <summary>The host ccxt calls; the simulator serves it under /{Host}/.</summary>
    public abstract string Host { get; }

    public abstract string MarketId(string baseCurrency, string quoteCurrency);

    /// <summary>Paths that loadMarkets calls (some exchanges call more than one).</summary>
    public abstract bool IsMarketsPath(string path);

    public abstract object Markets(string path, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now);

    public abstract BookRequest? MatchBook(string path, IQueryCollection query);

    public abstract object Book(SimulatedMarket market, SimulatedBook book);

    /// <param name="tail">What the exchange writes after price and amount on each level.</param>
    protected static BookSide Levels(IReadOnlyList<BookLevel> levels, params object[] tail) => new(levels, tail);

    protected static int? IntQuery(IQueryCollection query, string name) =>
        int.TryParse(query[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>The simulated exchanges, by ccxt id and by host.</summary>
public static class ExchangeFormats
{
    public static readonly IReadOnlyList<ExchangeFormat> All =
        [new BinanceFormat(), new KrakenFormat(), new OkxFormat(), new BitstampFormat(), new BybitFormat(), new KucoinFormat()];

    public static readonly FrozenSet<string> Ids = All.Select(f => f.Id).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static readonly FrozenDictionary<string, ExchangeFormat> ByHost =
        All.ToFrozenDictionary(f => f.Host, StringComparer.OrdinalIgnoreCase);
}
