using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// KuCoin: ccxt's kucoin loads spot (api.kucoin.com: /api/v2/symbols, /api/v1/market/allTickers for
/// fees, /api/v3/currencies) and the futures contracts (api-futures.kucoin.com:
/// /api/v1/contracts/active). Spot books are /api/v1/market/orderbook/level2_{20|100}?symbol=BTC-USDT
/// (the depth in the path); contract books /api/v1/level2/depth{20|100} or /api/v1/level2/snapshot
/// (no limit: the whole book). A contract without a next funding time is a dated future.
/// </summary>
public sealed class KucoinFormat : ExchangeFormat
{
    private const string Spot = "spot";
    private const string Futures = "futures";
    private const string FuturesHost = "api-futures.kucoin.com";
    private const string SpotBookPrefix = "/api/v1/market/orderbook/level2_";
    private const string Symbols = "/api/v2/symbols";

    public override string Id => "kucoin";

    public override IReadOnlyList<string> Hosts { get; } = ["api.kucoin.com", FuturesHost];

    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(Spot, MarketType.Spot, Small: 20, Realistic: 1000),
        new(Futures, MarketType.Swap, Small: 5, Realistic: 480) { Margin = Margin.Linear, ContractSize = 0.01m, AmountDecimals = 0 },
        new(Futures, MarketType.Swap, Small: 2, Realistic: 8) { Margin = Margin.Inverse, Quote = "USD", AmountDecimals = 0 },
        new(Futures, MarketType.Future, Small: 2, Realistic: 4) { Margin = Margin.Inverse, Quote = "USD", AmountDecimals = 0 },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(100);

    // KuCoin's public pool is 2,000 weight per 30 s, 2 to 3 a book: about 30 books a second.
    public override int RequestsPerSecond => 30;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new { code = "429000", msg = "Too Many Requests" });

    // ccxt asks spot books for 100 levels when no limit is given; a contract snapshot is the whole book.
    public override int DefaultDepth(SimulatedMarket market) => market.Category == Spot ? 100 : 1000;

    public override int MaxDepth(SimulatedMarket market) => market.Category == Spot ? 100 : 1000;

    public override string MarketId(SimulatedMarket market) => market switch
    {
        { Type: MarketType.Spot } => $"{market.Base}-{market.Quote}",
        { Type: MarketType.Swap, Margin: Margin.Linear } => $"{market.Base}{market.Quote}M",
        { Type: MarketType.Swap } => $"{market.Base}USDM",
        // BTCMZ26: base, M, the month's futures code, the year.
        _ => $"{market.Base}M{"FGHJKMNQUVXZ"[market.Expiry!.Value.Month - 1]}{market.Expiry.Value:yy}",
    };

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query)
    {
        var symbol = query["symbol"].ToString();
        if (host == FuturesHost)
        {
            return path switch
            {
                "/api/v1/contracts/active" => new ExchangeRequest(EndpointKind.Markets, Futures),
                "/api/v1/level2/snapshot" => new ExchangeRequest(EndpointKind.OrderBook, Futures, symbol),
                "/api/v1/level2/depth20" => new ExchangeRequest(EndpointKind.OrderBook, Futures, symbol, 20),
                "/api/v1/level2/depth100" => new ExchangeRequest(EndpointKind.OrderBook, Futures, symbol, 100),
                _ => null,
            };
        }
        return path switch
        {
            Symbols or "/api/v1/market/allTickers" => new ExchangeRequest(EndpointKind.Markets, Spot, Endpoint: path),
            "/api/v3/currencies" => new ExchangeRequest(EndpointKind.Currencies),
            _ when path.StartsWith(SpotBookPrefix, StringComparison.Ordinal) && int.TryParse(path[SpotBookPrefix.Length..], out var limit) =>
                new ExchangeRequest(EndpointKind.OrderBook, Spot, symbol, limit),
            _ => null,
        };
    }

    public override object Currencies(IReadOnlyList<string> codes, DateTimeOffset now) => new
    {
        code = "200000",
        data = codes.Select(c => new
        {
            currency = c,
            name = c,
            fullName = c,
            precision = 8,
            confirms = (int?)null,
            contractAddress = (string?)null,
            isMarginEnabled = false,
            isDebitEnabled = false,
            chains = Array.Empty<object>(),
        }),
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) =>
        request.Category == Futures ? new { code = "200000", data = markets.Select(m => Contract(m, now)) }
        : request.Endpoint == Symbols ? new { code = "200000", data = markets.Select(SpotSymbol) }
        : new
        {
            code = "200000",
            data = (object)new
            {
                time = now.ToUnixTimeMilliseconds(),
                ticker = markets.Select(m => new
                {
                    symbol = m.Id,
                    symbolName = m.Id,
                    takerFeeRate = "0.001",
                    makerFeeRate = "0.001",
                    takerCoefficient = "1",
                    makerCoefficient = "1",
                }),
            },
        };

    public override object Book(SimulatedMarket market, SimulatedBook book) => market.Category == Spot
        ? new
        {
            code = "200000",
            data = (object)new
            {
                time = book.Time.ToUnixTimeMilliseconds(),
                sequence = book.Sequence.ToString(CultureInfo.InvariantCulture),
                bids = Levels(book.Bids),
                asks = Levels(book.Asks),
            },
        }
        : new
        {
            code = "200000",
            data = (object)new
            {
                symbol = market.Id,
                sequence = book.Sequence,
                bids = Levels(book.Bids),
                asks = Levels(book.Asks),
                ts = book.Time.ToUnixTimeMilliseconds() * 1_000_000,
            },
        };

    private static object SpotSymbol(SimulatedMarket m) => new
    {
        symbol = m.Id,
        name = m.Id,
        baseCurrency = m.Base,
        quoteCurrency = m.Quote,
        feeCurrency = m.Quote,
        market = "USDS",
        baseMinSize = Step(m.AmountDecimals),
        quoteMinSize = "0.1",
        baseMaxSize = "10000000000",
        quoteMaxSize = "99999999",
        baseIncrement = Step(m.AmountDecimals),
        quoteIncrement = Step(m.PriceDecimals),
        priceIncrement = Step(m.PriceDecimals),
        priceLimitRate = "0.1",
        minFunds = "0.1",
        isMarginEnabled = false,
        enableTrading = true,
    };

    private static object Contract(SimulatedMarket m, DateTimeOffset now) => new
    {
        symbol = m.Id,
        rootSymbol = m.Settle,
        type = m.Type == MarketType.Swap ? "FFWCSX" : "FFICSX",
        firstOpenDate = now.AddDays(-90).ToUnixTimeMilliseconds(),
        expireDate = m.Expiry?.ToUnixTimeMilliseconds(),
        settleDate = m.Expiry?.ToUnixTimeMilliseconds(),
        baseCurrency = m.Base,
        quoteCurrency = m.Quote,
        settleCurrency = m.Settle,
        maxOrderQty = 1000000,
        maxPrice = 1000000.0,
        lotSize = 1,
        tickSize = double.Parse(Step(m.PriceDecimals), CultureInfo.InvariantCulture),
        indexPriceTickSize = 0.01,
        // Inverse contracts are written with a negative multiplier: one USD each.
        multiplier = m.Margin == Margin.Inverse ? -m.ContractSize!.Value : m.ContractSize!.Value,
        initialMargin = 0.01,
        maintainMargin = 0.005,
        makerFeeRate = 0.0002,
        takerFeeRate = 0.0006,
        isDeleverage = true,
        isQuanto = false,
        isInverse = m.Margin == Margin.Inverse,
        markMethod = "FairPrice",
        fairMethod = m.Type == MarketType.Swap ? "FundingRate" : "BasisRate",
        status = "Open",
        // ccxt tells a swap from a future by this field alone.
        nextFundingRateTime = m.Type == MarketType.Swap ? 8 * 3_600_000L : (long?)null,
    };
}
