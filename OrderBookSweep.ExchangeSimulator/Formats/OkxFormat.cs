using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// OKX: /api/v5/public/instruments?instType=SPOT|SWAP|FUTURES|OPTION (options once per underlying,
/// ccxt asks for uly=BTC-USD and ETH-USD) and /api/v5/market/books(-full)?instId=...&amp;sz=N for every
/// type. Derivatives name their currencies in uly, spot in baseCcy/quoteCcy; options settle in the
/// base and are priced in it. Currencies come from a private endpoint ccxt skips without keys.
/// </summary>
public sealed class OkxFormat : ExchangeFormat
{
    private const string Spot = "SPOT";
    private const string Swap = "SWAP";
    private const string Futures = "FUTURES";
    private const string Option = "OPTION";

    public override string Id => "okx";

    public override IReadOnlyList<string> Hosts { get; } = ["www.okx.com"];

    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(Spot, MarketType.Spot, Small: 20, Realistic: 700),
        new(Swap, MarketType.Swap, Small: 5, Realistic: 280) { Margin = Margin.Linear, ContractSize = 0.01m, AmountDecimals = 2 },
        new(Swap, MarketType.Swap, Small: 3, Realistic: 20) { Margin = Margin.Inverse, Quote = "USD", ContractSize = 10, AmountDecimals = 0 },
        new(Futures, MarketType.Future, Small: 2, Realistic: 30) { Margin = Margin.Linear, ContractSize = 0.01m, Expiries = 3, AmountDecimals = 2 },
        new(Futures, MarketType.Future, Small: 2, Realistic: 40) { Margin = Margin.Inverse, Quote = "USD", ContractSize = 10, Expiries = 4, AmountDecimals = 0 },
        new(Option, MarketType.Option, Small: 8, Realistic: 1600)
        {
            Margin = Margin.Inverse, Quote = "USD", ContractSize = 0.01m, Underlyings = 2, Expiries = 10, PriceDecimals = 4, AmountDecimals = 0,
        },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(90);

    // OKX allows 40 book requests per 2 s; ccxt paces it at about 9 a second.
    public override int RequestsPerSecond => 20;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests,
        new { code = "50011", msg = "Too Many Requests", data = Array.Empty<object>() });

    public override int DefaultDepth(SimulatedMarket market) => 1;

    // books-full, which ccxt calls past 400.
    public override int MaxDepth(SimulatedMarket market) => 5000;

    public override string MarketId(SimulatedMarket market) => market.Type switch
    {
        MarketType.Spot => $"{market.Base}-{market.Quote}",
        MarketType.Swap => $"{market.Base}-{market.Quote}-SWAP",
        MarketType.Future => $"{market.Base}-{market.Quote}-{Date(market)}",
        _ => $"{market.Base}-{market.Quote}-{Date(market)}-{Text(market.Strike!.Value)}-{(market.OptionType == OptionType.Call ? "C" : "P")}",
    };

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) => path switch
    {
        "/api/v5/public/instruments" => new ExchangeRequest(EndpointKind.Markets, query["instType"].ToString()),
        "/api/v5/market/books" or "/api/v5/market/books-full" =>
            new ExchangeRequest(EndpointKind.OrderBook, CategoryOf(query["instId"].ToString()), query["instId"].ToString(), IntQuery(query, "sz")),
        _ => null,
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now)
    {
        // Options come per underlying ("BTC-USD"); the others all at once.
        var underlying = query["uly"].ToString();
        return new
        {
            code = "0",
            msg = "",
            data = markets.Where(m => underlying.Length == 0 || Underlying(m) == underlying).Select(m => Instrument(m, now)),
        };
    }

    public override object Book(SimulatedMarket market, SimulatedBook book) => new
    {
        code = "0",
        msg = "",
        // OKX levels: [price, size, "0" (deprecated), order count].
        data = new[] { new { asks = Levels(book.Asks, "0", "1"), bids = Levels(book.Bids, "0", "1"), ts = book.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) } },
    };

    // BTC-USDT, BTC-USDT-SWAP, BTC-USD-261225, BTC-USD-261225-100000-C.
    private static string CategoryOf(string instId) => instId.EndsWith("-SWAP", StringComparison.Ordinal) ? Swap
        : instId.Count(c => c == '-') switch { 1 => Spot, 2 => Futures, _ => Option };

    private static string Date(SimulatedMarket market) => market.Expiry!.Value.ToString("yyMMdd", CultureInfo.InvariantCulture);

    private static string Underlying(SimulatedMarket m) => $"{m.Base}-{m.Quote}";

    private static object Instrument(SimulatedMarket m, DateTimeOffset now) => new
    {
        instType = m.Category,
        instId = m.Id,
        uly = m.IsContract ? Underlying(m) : "",
        instFamily = m.IsContract ? Underlying(m) : "",
        baseCcy = m.IsContract ? "" : m.Base,
        quoteCcy = m.IsContract ? "" : m.Quote,
        settleCcy = m.Settle ?? "",
        ctVal = m.ContractSize is { } size ? Text(size) : "",
        ctMult = m.IsContract ? "1" : "",
        ctValCcy = m.Type switch { MarketType.Spot => "", _ when m.Margin == Margin.Inverse && m.Type != MarketType.Option => m.Quote, _ => m.Base },
        ctType = m.Type is MarketType.Swap or MarketType.Future ? m.Margin == Margin.Linear ? "linear" : "inverse" : "",
        optType = m.OptionType switch { OptionType.Call => "C", OptionType.Put => "P", _ => "" },
        stk = m.Strike is { } strike ? Text(strike) : "",
        listTime = now.AddDays(-30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        expTime = m.Expiry?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "",
        lever = m.Type == MarketType.Option ? "" : "10",
        tickSz = Step(m.PriceDecimals),
        lotSz = Step(m.AmountDecimals),
        minSz = Step(m.AmountDecimals),
        maxLmtSz = "10000000",
        alias = m.Type == MarketType.Future ? "quarter" : "",
        state = "live",
    };
}
