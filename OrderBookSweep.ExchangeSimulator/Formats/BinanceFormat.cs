using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// Binance's three public APIs that a default ccxt loadMarkets reads: spot (api, /api/v3), USDⓈ-M
/// futures (fapi, /fapi/v1: linear perpetuals and quarterlies) and COIN-M futures (dapi, /dapi/v1:
/// inverse ones). Each has exchangeInfo and depth?symbol=...&amp;limit=N. Options (eapi) are left out:
/// ccxt loads them only when asked to. Currencies come from a private endpoint ccxt skips without keys.
/// </summary>
public sealed class BinanceFormat : ExchangeFormat
{
    private const string Spot = "spot";
    private const string Linear = "fapi";
    private const string Inverse = "dapi";

    // Binance writes a perpetual's delivery date as 2100-12-25.
    private const long PerpetualDeliveryDate = 4133404800000;

    public override string Id => "binance";

    public override IReadOnlyList<string> Hosts { get; } = ["api.binance.com", "fapi.binance.com", "dapi.binance.com"];

    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(Spot, MarketType.Spot, Small: 20, Realistic: 1450),
        new(Linear, MarketType.Swap, Small: 5, Realistic: 520) { Margin = Margin.Linear, AmountDecimals = 3 },
        new(Linear, MarketType.Future, Small: 2, Realistic: 4) { Margin = Margin.Linear, AmountDecimals = 3 },
        new(Inverse, MarketType.Swap, Small: 3, Realistic: 35) { Margin = Margin.Inverse, Quote = "USD", ContractSize = 10, AmountDecimals = 0 },
        new(Inverse, MarketType.Future, Small: 2, Realistic: 24) { Margin = Margin.Inverse, Quote = "USD", ContractSize = 10, AmountDecimals = 0 },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(60);

    // ccxt paces binance at 20 requests a second; a burst past twice that is answered -1003.
    public override int RequestsPerSecond => 40;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new
    {
        code = -1003,
        msg = "Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
    });

    public override int DefaultDepth(SimulatedMarket market) => market.Category == Spot ? 100 : 500;

    public override int MaxDepth(SimulatedMarket market) => market.Category == Spot ? 5000 : 1000;

    public override string MarketId(SimulatedMarket market) => market.Type switch
    {
        MarketType.Spot => market.Base + market.Quote,
        MarketType.Swap when market.Margin == Margin.Inverse => $"{market.Base}{market.Quote}_PERP",
        MarketType.Swap => market.Base + market.Quote,
        _ => $"{market.Base}{market.Quote}_{market.Expiry!.Value.ToString("yyMMdd", CultureInfo.InvariantCulture)}",
    };

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query)
    {
        var (category, prefix) = host switch
        {
            "fapi.binance.com" => (Linear, "/fapi/v1/"),
            "dapi.binance.com" => (Inverse, "/dapi/v1/"),
            _ => (Spot, "/api/v3/"),
        };
        return path == prefix + "exchangeInfo" ? new ExchangeRequest(EndpointKind.Markets, category)
            : path == prefix + "depth" ? new ExchangeRequest(EndpointKind.OrderBook, category, query["symbol"].ToString(), IntQuery(query, "limit"))
            : null;
    }

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => new
    {
        timezone = "UTC",
        serverTime = now.ToUnixTimeMilliseconds(),
        rateLimits = new[] { new { rateLimitType = "REQUEST_WEIGHT", interval = "MINUTE", intervalNum = 1, limit = 6000 } },
        symbols = request.Category == Spot ? markets.Select(SpotMarket) : markets.Select(m => ContractMarket(m, now)),
    };

    public override object Book(SimulatedMarket market, SimulatedBook book) => market.Category switch
    {
        Spot => new { lastUpdateId = book.Sequence, bids = Levels(book.Bids), asks = Levels(book.Asks) },
        Linear => new
        {
            lastUpdateId = book.Sequence,
            E = book.Time.ToUnixTimeMilliseconds(),
            T = book.Time.ToUnixTimeMilliseconds(),
            bids = Levels(book.Bids),
            asks = Levels(book.Asks),
        },
        _ => (object)new
        {
            lastUpdateId = book.Sequence,
            symbol = market.Id,
            pair = market.Base + market.Quote,
            E = book.Time.ToUnixTimeMilliseconds(),
            T = book.Time.ToUnixTimeMilliseconds(),
            bids = Levels(book.Bids),
            asks = Levels(book.Asks),
        },
    };

    private static object SpotMarket(SimulatedMarket m) => new
    {
        symbol = m.Id,
        status = "TRADING",
        baseAsset = m.Base,
        baseAssetPrecision = 8,
        quoteAsset = m.Quote,
        quotePrecision = 8,
        quoteAssetPrecision = 8,
        orderTypes = new[] { "LIMIT", "LIMIT_MAKER", "MARKET" },
        isSpotTradingAllowed = true,
        isMarginTradingAllowed = false,
        permissions = Array.Empty<string>(),
        permissionSets = new[] { new[] { "SPOT" } },
        filters = Filters(m),
    };

    private static Dictionary<string, object?> ContractMarket(SimulatedMarket m, DateTimeOffset now)
    {
        var contract = new Dictionary<string, object?>
        {
            ["symbol"] = m.Id,
            ["pair"] = m.Base + m.Quote,
            ["contractType"] = m.Type == MarketType.Swap ? "PERPETUAL" : m.Expiry < now.AddMonths(3) ? "CURRENT_QUARTER" : "NEXT_QUARTER",
            ["deliveryDate"] = m.Expiry?.ToUnixTimeMilliseconds() ?? PerpetualDeliveryDate,
            ["onboardDate"] = now.AddDays(-90).ToUnixTimeMilliseconds(),
            ["baseAsset"] = m.Base,
            ["quoteAsset"] = m.Quote,
            ["marginAsset"] = m.Settle,
            ["pricePrecision"] = m.PriceDecimals,
            ["quantityPrecision"] = m.AmountDecimals,
            ["baseAssetPrecision"] = 8,
            ["quotePrecision"] = 8,
            ["underlyingType"] = "COIN",
            ["filters"] = Filters(m),
            ["orderTypes"] = new[] { "LIMIT", "MARKET" },
            ["timeInForce"] = new[] { "GTC", "IOC", "FOK", "GTX" },
        };
        if (m.Margin == Margin.Linear)
        {
            contract["status"] = "TRADING";
        }
        else
        {
            // COIN-M writes its state under another name and sizes contracts in USD.
            contract["contractStatus"] = "TRADING";
            contract["contractSize"] = m.ContractSize;
            contract["equalQtyPrecision"] = 4;
        }
        return contract;
    }

    private static object[] Filters(SimulatedMarket m) =>
    [
        new { filterType = "PRICE_FILTER", minPrice = Step(m.PriceDecimals), maxPrice = "1000000", tickSize = Step(m.PriceDecimals) },
        new { filterType = "LOT_SIZE", minQty = Step(m.AmountDecimals), maxQty = "9000000", stepSize = Step(m.AmountDecimals) },
    ];
}
