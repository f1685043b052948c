using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// Kraken Futures (futures.kraken.com), a separate exchange in ccxt: derivatives only, no currencies
/// call. A default loadMarkets reads /derivatives/api/v3/instruments, one list of every contract;
/// books come from /derivatives/api/v3/orderbook?symbol=PF_XBTUSD, the whole book (no depth
/// parameter), levels as JSON numbers. The id's prefix is the contract kind and serves as the
/// category: PF multi-collateral linear perpetuals, FF linear futures, PI inverse perpetuals, FI
/// inverse futures, all quoted in USD. Kraken calls bitcoin XBT. The live list also carries
/// untradeable index instruments ("spot index", no book), which are left out.
/// </summary>
public sealed class KrakenFuturesFormat : ExchangeFormat
{
    private const string LinearPerpetual = "PF";
    private const string LinearFuture = "FF";
    private const string InversePerpetual = "PI";
    private const string InverseFuture = "FI";

    public override string Id => "krakenfutures";

    public override IReadOnlyList<string> Hosts { get; } = ["futures.kraken.com"];

    // Realistic counts: Kraken Futures' instrument list in 2025, about 320 PF perpetuals, FF
    // futures on BTC and ETH at two expiries, 6 PI perpetuals and FI futures on three coins at two
    // expiries.
    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(LinearPerpetual, MarketType.Swap, Small: 5, Realistic: 320) { Margin = Margin.Linear, Quote = "USD", AmountDecimals = 4 },
        new(LinearFuture, MarketType.Future, Small: 2, Realistic: 4) { Margin = Margin.Linear, Quote = "USD", AmountDecimals = 4 },
        new(InversePerpetual, MarketType.Swap, Small: 2, Realistic: 6) { Margin = Margin.Inverse, Quote = "USD", AmountDecimals = 0 },
        new(InverseFuture, MarketType.Future, Small: 2, Realistic: 6) { Margin = Margin.Inverse, Quote = "USD", AmountDecimals = 0 },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(120);

    // ccxt paces krakenfutures at a request every 600 ms.
    public override int RequestsPerSecond => 4;

    // Kraken Futures answers 200 with the error in the body; ccxt maps apiLimitExceeded to RateLimitExceeded.
    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status200OK, new { result = "error", error = "apiLimitExceeded" });

    // The whole book: a few hundred levels a side on the main contracts.
    public override int DefaultDepth(SimulatedMarket market) => 250;

    public override int MaxDepth(SimulatedMarket market) => 250;

    public override string MarketId(SimulatedMarket market)
    {
        var id = $"{market.Category}_{CurrencyId(market.Base)}{market.Quote}";
        return market.Expiry is { } expiry ? $"{id}_{expiry.ToString("yyMMdd", CultureInfo.InvariantCulture)}" : id;
    }

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) => path switch
    {
        "/derivatives/api/v3/instruments" => new ExchangeRequest(EndpointKind.Markets),
        "/derivatives/api/v3/orderbook" when query["symbol"].ToString() is { Length: > 2 } symbol =>
            new ExchangeRequest(EndpointKind.OrderBook, symbol[..2].ToUpperInvariant(), symbol),
        _ => null,
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => new
    {
        result = "success",
        instruments = markets.Select(m => Instrument(m, now)),
        serverTime = ServerTime(now),
    };

    public override object Book(SimulatedMarket market, SimulatedBook book) => new
    {
        result = "success",
        serverTime = ServerTime(book.Time),
        orderBook = new { bids = NumericLevels(book.Bids), asks = NumericLevels(book.Asks) },
    };

    // Kraken calls bitcoin XBT; ccxt maps it back.
    private static string CurrencyId(string code) => code == "BTC" ? "XBT" : code;

    private static string ServerTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Dictionary<string, object?> Instrument(SimulatedMarket m, DateTimeOffset now)
    {
        var instrument = new Dictionary<string, object?>
        {
            ["symbol"] = m.Id,
            ["type"] = m.Margin == Margin.Inverse ? "futures_inverse" : "flexible_futures",
            ["underlying"] = $"rr_{CurrencyId(m.Base).ToLowerInvariant()}usd",
            ["tickSize"] = new decimal(1, 0, 0, false, (byte)m.PriceDecimals),
            ["contractSize"] = m.ContractSize,
            ["tradeable"] = true,
            ["impactMidSize"] = 1,
            ["maxPositionSize"] = 1_000_000,
            ["openingDate"] = ServerTime(now.AddDays(-90)),
            ["marginLevels"] = new[] { new { contracts = 0, initialMargin = 0.02m, maintenanceMargin = 0.01m } },
            ["fundingRateCoefficient"] = m.Type == MarketType.Swap ? 8 : null,
            ["maxRelativeFundingRate"] = m.Type == MarketType.Swap ? 0.001m : null,
            ["isin"] = null,
            ["contractValueTradePrecision"] = m.AmountDecimals,
            ["postOnly"] = false,
            ["mtf"] = false,
            ["base"] = CurrencyId(m.Base),
            ["quote"] = m.Quote,
            ["pair"] = $"{CurrencyId(m.Base)}:{m.Quote}",
            ["category"] = "",
            ["tags"] = Array.Empty<string>(),
            ["tradfi"] = false,
        };
        if (m.Expiry is { } expiry)
        {
            // ccxt reads a lastTradingTime as "dated future".
            instrument["lastTradingTime"] = ServerTime(expiry);
        }
        return instrument;
    }
}
