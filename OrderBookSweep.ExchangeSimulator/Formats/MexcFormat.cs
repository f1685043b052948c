using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// MEXC (api.mexc.com) as a default ccxt loadMarkets reads it: spot (/api/v3/exchangeInfo) and the
/// USDT perpetuals (/api/v1/contract/detail). Books: /api/v3/depth?symbol=BTCUSDT&amp;limit=N (levels
/// as strings) and /api/v1/contract/depth/BTC_USDT (price, contracts and order count as numbers).
/// Currencies come from a private endpoint ccxt skips without keys.
/// </summary>
public sealed class MexcFormat : ExchangeFormat
{
    private const string Spot = "spot";
    private const string Contract = "contract";
    private const string ContractBookPrefix = "/api/v1/contract/depth/";

    public override string Id => "mexc";

    public override IReadOnlyList<string> Hosts { get; } = ["api.mexc.com"];

    // Realistic counts: rounded from mexc's public market lists of the mid 2020s (about 2,300
    // spot pairs, 800 USDT perpetuals), not measured here: see docs/simulator.md.
    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(Spot, MarketType.Spot, Small: 20, Realistic: 2300),
        new(Contract, MarketType.Swap, Small: 5, Realistic: 800) { Margin = Margin.Linear, ContractSize = 0.01m, AmountDecimals = 0 },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(150);

    // MEXC's market endpoints take 20 requests a second, as ccxt paces them; twice that is answered 429.
    public override int RequestsPerSecond => 40;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new { code = 429, msg = "Too Many Requests" });

    public override int DefaultDepth(SimulatedMarket market) => 100;

    public override int MaxDepth(SimulatedMarket market) => market.Type == MarketType.Spot ? 5000 : 1000;

    public override string MarketId(SimulatedMarket market) =>
        market.Type == MarketType.Spot ? market.Base + market.Quote : $"{market.Base}_{market.Quote}";

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) => path switch
    {
        "/api/v3/exchangeInfo" => new ExchangeRequest(EndpointKind.Markets, Spot),
        "/api/v3/depth" => new ExchangeRequest(EndpointKind.OrderBook, Spot, query["symbol"].ToString(), IntQuery(query, "limit")),
        "/api/v1/contract/detail" => new ExchangeRequest(EndpointKind.Markets, Contract),
        _ when path.StartsWith(ContractBookPrefix, StringComparison.Ordinal) =>
            new ExchangeRequest(EndpointKind.OrderBook, Contract, path[ContractBookPrefix.Length..], IntQuery(query, "limit")),
        _ => null,
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) =>
        request.Category == Spot
            ? (object)new
            {
                timezone = "CST",
                serverTime = now.ToUnixTimeMilliseconds(),
                rateLimits = Array.Empty<object>(),
                exchangeFilters = Array.Empty<object>(),
                symbols = markets.Select(SpotSymbol),
            }
            : new { success = true, code = 0, data = markets.Select(ContractDetail) };

    public override object Book(SimulatedMarket market, SimulatedBook book) => market.Type == MarketType.Spot
        ? (object)new { lastUpdateId = book.Sequence, bids = Levels(book.Bids), asks = Levels(book.Asks), timestamp = book.Time.ToUnixTimeMilliseconds() }
        : new
        {
            success = true,
            code = 0,
            data = new
            {
                // [price, contracts, orders at the level]
                asks = book.Asks.Select(l => new[] { l.Price, l.Amount, 1m }),
                bids = book.Bids.Select(l => new[] { l.Price, l.Amount, 1m }),
                version = book.Sequence,
                timestamp = book.Time.ToUnixTimeMilliseconds(),
            },
        };

    private static object SpotSymbol(SimulatedMarket m) => new
    {
        symbol = m.Id,
        status = "1",
        baseAsset = m.Base,
        baseAssetPrecision = m.AmountDecimals,
        quoteAsset = m.Quote,
        quotePrecision = m.PriceDecimals,
        quoteAssetPrecision = m.PriceDecimals,
        baseCommissionPrecision = m.AmountDecimals,
        quoteCommissionPrecision = m.PriceDecimals,
        orderTypes = new[] { "LIMIT", "MARKET", "LIMIT_MAKER" },
        isSpotTradingAllowed = true,
        isMarginTradingAllowed = false,
        quoteAmountPrecision = "1",
        baseSizePrecision = "0",
        permissions = new[] { "SPOT" },
        filters = Array.Empty<object>(),
        maxQuoteAmount = "2000000",
        makerCommission = "0",
        takerCommission = "0.0005",
        quoteAmountPrecisionMarket = "1",
        maxQuoteAmountMarket = "100000",
        fullName = m.Base,
        tradeSideType = 1,
    };

    private static object ContractDetail(SimulatedMarket m) => new
    {
        symbol = m.Id,
        displayName = $"{m.Base}_{m.Quote} PERPETUAL",
        displayNameEn = $"{m.Base}_{m.Quote} PERPETUAL",
        positionOpenType = 3,
        baseCoin = m.Base,
        quoteCoin = m.Quote,
        settleCoin = m.Settle,
        contractSize = m.ContractSize,
        minLeverage = 1,
        maxLeverage = 200,
        priceScale = m.PriceDecimals,
        volScale = m.AmountDecimals,
        amountScale = 4,
        priceUnit = new decimal(1, 0, 0, false, (byte)m.PriceDecimals),
        volUnit = 1,
        minVol = 1,
        maxVol = 1_000_000,
        state = 0,
        isNew = false,
        isHot = false,
        isHidden = false,
        apiAllowed = true,
        takerFeeRate = 0.0002,
        makerFeeRate = 0,
    };
}
