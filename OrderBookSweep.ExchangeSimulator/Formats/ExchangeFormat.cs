using System.Collections.Frozen;
using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>What a request asks of a simulated exchange; faults are set per kind.</summary>
public enum EndpointKind
{
    Markets,
    Currencies,
    OrderBook,
}

/// <summary>
/// A request a format recognised: its kind, the category of markets it is about (null where the
/// endpoint covers the exchange), and for a book the market id and the depth asked for (null: no
/// limit parameter). <paramref name="Endpoint"/> tells apart the format's endpoints of one kind
/// where it has several (kucoin's symbols and tickers).
/// </summary>
public readonly record struct ExchangeRequest(EndpointKind Kind, string? Category = null, string? MarketId = null, int? Limit = null, string? Endpoint = null);

/// <summary>An error answer in the exchange's own shape: the status code and the JSON body.</summary>
public sealed record ErrorAnswer(int StatusCode, object Body);

/// <summary>
/// One real exchange's public REST API as real ccxt 4.5.84 calls and parses it for a default
/// loadMarkets (currencies included) and fetchOrderBook on every market type the exchange has. A
/// new exchange is one subclass plus its line in <see cref="ExchangeFormats.All"/>. Paths are what
/// follows the host ("/api/v3/depth").
/// </summary>
public abstract class ExchangeFormat
{
    /// <summary>ccxt's id.</summary>
    public abstract string Id { get; }

    /// <summary>The hosts ccxt calls for the endpoints served; the simulator serves each under /{host}/.</summary>
    public abstract IReadOnlyList<string> Hosts { get; }

    /// <summary>What the exchange lists, category by category.</summary>
    public abstract IReadOnlyList<Listing> Listings { get; }

    /// <summary>The depth the exchange serves when a book request has no limit (realistic profile).</summary>
    public abstract int DefaultDepth(SimulatedMarket market);

    /// <summary>The most levels the exchange serves (realistic profile).</summary>
    public abstract int MaxDepth(SimulatedMarket market);

    /// <summary>About what a REST call to the exchange takes from a well-connected client (realistic profile).</summary>
    public abstract TimeSpan TypicalLatency { get; }

    /// <summary>Requests a second the simulator allows one exchange before answering <see cref="RateLimited"/> (realistic profile).</summary>
    public abstract int RequestsPerSecond { get; }

    /// <summary>What the exchange answers when a client goes over its rate limit.</summary>
    public abstract ErrorAnswer RateLimited { get; }

    /// <summary>The exchange's id for a market (everything but <see cref="SimulatedMarket.Id"/> is set).</summary>
    public abstract string MarketId(SimulatedMarket market);

    /// <summary>What a request to <paramref name="host"/> asks for; null for a path the simulator does not serve (404).</summary>
    public abstract ExchangeRequest? Match(string host, string path, IQueryCollection query);

    /// <param name="markets">The listed markets of the request's category (all of them when it has none); empty under the "empty" fault.</param>
    public abstract object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now);

    /// <param name="codes">Every currency the exchange's markets name; empty under the "empty" fault.</param>
    public virtual object Currencies(IReadOnlyList<string> codes, DateTimeOffset now) =>
        throw new NotSupportedException($"{Id} has no public currencies endpoint that ccxt calls.");

    public abstract object Book(SimulatedMarket market, SimulatedBook book);

    /// <param name="tail">What the exchange writes after price and amount on each level.</param>
    protected static BookSide Levels(IReadOnlyList<BookLevel> levels, params object[] tail) => new(levels, tail);

    /// <summary>Levels with price and amount as JSON numbers.</summary>
    protected static BookSide NumericLevels(IReadOnlyList<BookLevel> levels) => new(levels, []) { Numbers = true };

    protected static int? IntQuery(IQueryCollection query, string name) =>
        int.TryParse(query[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    protected static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A tick or step of <paramref name="decimals"/> decimals as text: 2 -> "0.01", 0 -> "1".</summary>
    protected static string Step(int decimals) => Text(new decimal(1, 0, 0, false, (byte)decimals));
}

/// <summary>The simulated exchanges, by ccxt id and by host.</summary>
public static class ExchangeFormats
{
    public static readonly IReadOnlyList<ExchangeFormat> All =
        [new BinanceFormat(), new KrakenFormat(), new OkxFormat(), new BitstampFormat(), new BybitFormat(), new KucoinFormat(),
            new GateFormat(), new BitgetFormat(), new MexcFormat(), new HtxFormat(), new BitfinexFormat(), new KrakenFuturesFormat()];

    public static readonly FrozenSet<string> Ids = All.Select(f => f.Id).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static readonly FrozenDictionary<string, ExchangeFormat> ById =
        All.ToFrozenDictionary(f => f.Id, StringComparer.OrdinalIgnoreCase);

    public static readonly FrozenDictionary<string, ExchangeFormat> ByHost =
        All.SelectMany(f => f.Hosts.Select(h => (Host: h, Format: f))).ToFrozenDictionary(p => p.Host, p => p.Format, StringComparer.OrdinalIgnoreCase);
}
