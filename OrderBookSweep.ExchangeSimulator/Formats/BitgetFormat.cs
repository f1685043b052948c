using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// Bitget's API v2 (api.bitget.com) as a default ccxt loadMarkets reads it: spot symbols with the
/// margin currencies beside them (v2/spot/public/symbols, v2/margin/currencies), the contracts of each
/// product type (v2/mix/market/contracts?productType=USDT-FUTURES: linear perpetuals; COIN-FUTURES:
/// inverse perpetuals and quarterlies; USDC-FUTURES: USDC perpetuals) and v2/spot/public/coins. ccxt
/// also asks for the demo product types (SUSDT-, SCOIN-, SUSDC-FUTURES), which list no market here.
/// Books: v2/spot/market/orderbook (levels as strings) and v2/mix/market/merge-depth (as numbers).
/// </summary>
public sealed class BitgetFormat : ExchangeFormat
{
    private const string Spot = "SPOT";
    private const string UsdtFutures = "USDT-FUTURES";
    private const string CoinFutures = "COIN-FUTURES";
    private const string UsdcFutures = "USDC-FUTURES";

    // What the spot listing's second endpoint asks: the margin terms of some of its pairs.
    private const string MarginEndpoint = "margin";

    // Futures month codes: a quarterly's id is BTCUSD + the month's letter + the year's two digits (BTCUSDZ26).
    private const string MonthCodes = "FGHJKMNQUVXZ";

    public override string Id => "bitget";

    public override IReadOnlyList<string> Hosts { get; } = ["api.bitget.com"];

    // Realistic counts: rounded from bitget's public market lists of the mid 2020s (about 800
    // spot pairs, 520 USDT perpetuals, a dozen coin-margined perpetuals and their quarterlies, 60 USDC
    // perpetuals), not measured here: see docs/simulator.md.
    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(Spot, MarketType.Spot, Small: 20, Realistic: 800),
        new(UsdtFutures, MarketType.Swap, Small: 5, Realistic: 520) { Margin = Margin.Linear, AmountDecimals = 3 },
        new(CoinFutures, MarketType.Swap, Small: 2, Realistic: 12) { Margin = Margin.Inverse, Quote = "USD", AmountDecimals = 3 },
        new(CoinFutures, MarketType.Future, Small: 2, Realistic: 6) { Margin = Margin.Inverse, Quote = "USD", AmountDecimals = 3 },
        new(UsdcFutures, MarketType.Swap, Small: 2, Realistic: 60) { Margin = Margin.Linear, Quote = "USDC", AmountDecimals = 3 },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(100);

    // Bitget's market endpoints take 20 requests a second per IP, as ccxt paces them; twice that is answered 429.
    public override int RequestsPerSecond => 40;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new
    {
        code = "429",
        msg = "Too Many Requests",
        requestTime = 0L,
        data = (object?)null,
    });

    // Spot books answer 150 levels without a limit, merged contract books 100.
    public override int DefaultDepth(SimulatedMarket market) => market.Type == MarketType.Spot ? 150 : 100;

    public override int MaxDepth(SimulatedMarket market) => DefaultDepth(market);

    public override string MarketId(SimulatedMarket market) => market switch
    {
        { Type: MarketType.Future, Expiry: { } expiry } =>
            $"{market.Base}{market.Quote}{MonthCodes[expiry.Month - 1]}{expiry.ToString("yy", CultureInfo.InvariantCulture)}",
        { Type: MarketType.Swap, Quote: "USDC" } => market.Base + "PERP",
        _ => market.Base + market.Quote,
    };

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) => path switch
    {
        "/api/v2/spot/public/symbols" => new ExchangeRequest(EndpointKind.Markets, Spot),
        "/api/v2/margin/currencies" => new ExchangeRequest(EndpointKind.Markets, Spot, Endpoint: MarginEndpoint),
        "/api/v2/mix/market/contracts" => new ExchangeRequest(EndpointKind.Markets, query["productType"].ToString()),
        "/api/v2/spot/public/coins" => new ExchangeRequest(EndpointKind.Currencies),
        "/api/v2/spot/market/orderbook" => new ExchangeRequest(EndpointKind.OrderBook, Spot, query["symbol"].ToString(), IntQuery(query, "limit")),
        "/api/v2/mix/market/merge-depth" => new ExchangeRequest(EndpointKind.OrderBook, query["productType"].ToString(), query["symbol"].ToString(), IntQuery(query, "limit")),
        _ => null,
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) =>
        Answer(now, (request.Category, request.Endpoint) switch
        {
            // About one pair in five can be traded on margin.
            (Spot, MarginEndpoint) => markets.Where((_, i) => i % 5 == 0).Select(MarginPair),
            (Spot, _) => markets.Select(SpotSymbol),
            _ => markets.Select(m => Contract(m, now)),
        });

    public override object Currencies(IReadOnlyList<string> codes, DateTimeOffset now) => Answer(now, codes.Select((code, i) => new
    {
        coinId = (i + 1).ToString(CultureInfo.InvariantCulture),
        coin = code,
        transfer = "true",
        areaCoin = "no",
        chains = new[]
        {
            new
            {
                chain = code,
                needTag = "false",
                withdrawable = "true",
                rechargeable = "true",
                withdrawFee = "0.01",
                extraWithdrawFee = "0",
                depositConfirm = "12",
                withdrawConfirm = "12",
                minDepositAmount = "0.0001",
                minWithdrawAmount = "0.001",
                browserUrl = "",
                contractAddress = "",
                withdrawStep = "0",
                withdrawMinScale = "8",
                congestion = "normal",
            },
        },
    }));

    public override object Book(SimulatedMarket market, SimulatedBook book)
    {
        var ts = book.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return Answer(book.Time, market.Type == MarketType.Spot
            ? new { asks = Levels(book.Asks), bids = Levels(book.Bids), ts }
            : (object)new
            {
                asks = book.Asks.Select(l => new[] { l.Price, l.Amount }),
                bids = book.Bids.Select(l => new[] { l.Price, l.Amount }),
                ts,
                scale = Step(market.PriceDecimals),
                precision = "scale0",
                isMaxPrecision = "YES",
            });
    }

    private static object Answer(DateTimeOffset now, object data) => new
    {
        code = "00000",
        msg = "success",
        requestTime = now.ToUnixTimeMilliseconds(),
        data,
    };

    private static object SpotSymbol(SimulatedMarket m) => new
    {
        symbol = m.Id,
        baseCoin = m.Base,
        quoteCoin = m.Quote,
        minTradeAmount = "0",
        maxTradeAmount = "10000000000",
        takerFeeRate = "0.001",
        makerFeeRate = "0.001",
        pricePrecision = m.PriceDecimals.ToString(CultureInfo.InvariantCulture),
        quantityPrecision = m.AmountDecimals.ToString(CultureInfo.InvariantCulture),
        quotePrecision = "6",
        status = "online",
        minTradeUSDT = "1",
        buyLimitPriceRatio = "0.05",
        sellLimitPriceRatio = "0.05",
        areaSymbol = "no",
        orderQuantity = "200",
    };

    private static object MarginPair(SimulatedMarket m) => new
    {
        symbol = m.Id,
        baseCoin = m.Base,
        quoteCoin = m.Quote,
        maxCrossedLeverage = "3",
        maxIsolatedLeverage = "10",
        warningRiskRatio = "0.8",
        liquidationRiskRatio = "1",
        minTradeAmount = "0",
        maxTradeAmount = "10000000000",
        takerFeeRate = "0.001",
        makerFeeRate = "0.001",
        pricePrecision = m.PriceDecimals.ToString(CultureInfo.InvariantCulture),
        quantityPrecision = m.AmountDecimals.ToString(CultureInfo.InvariantCulture),
        minTradeUSDT = "5",
        isBorrowable = true,
        userMinBorrow = "0.00000001",
        status = "1",
        isIsolatedBaseBorrowable = true,
        isIsolatedQuotedBorrowable = true,
        isCrossBorrowable = true,
    };

    private static object Contract(SimulatedMarket m, DateTimeOffset now) => new
    {
        symbol = m.Id,
        baseCoin = m.Base,
        quoteCoin = m.Quote,
        buyLimitPriceRatio = "0.01",
        sellLimitPriceRatio = "0.01",
        feeRateUpRatio = "0.005",
        makerFeeRate = "0.0002",
        takerFeeRate = "0.0006",
        openCostUpRatio = "0.01",
        supportMarginCoins = new[] { m.Settle },
        minTradeNum = Step(m.AmountDecimals),
        // ccxt reads the tick as priceEndStep at pricePlace decimals.
        priceEndStep = "1",
        volumePlace = m.AmountDecimals.ToString(CultureInfo.InvariantCulture),
        pricePlace = m.PriceDecimals.ToString(CultureInfo.InvariantCulture),
        sizeMultiplier = Step(m.AmountDecimals),
        symbolType = m.Type == MarketType.Swap ? "perpetual" : "delivery",
        minTradeUSDT = "5",
        maxSymbolOrderNum = "200",
        maxProductOrderNum = "400",
        maxPositionNum = "150",
        symbolStatus = "normal",
        offTime = "-1",
        limitOpenTime = "-1",
        deliveryTime = m.Expiry?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "",
        deliveryStartTime = "",
        deliveryPeriod = m.Expiry is { } expiry ? (expiry < now.AddMonths(3) ? "this_quarter" : "next_quarter") : "",
        launchTime = now.AddDays(-300).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        fundInterval = "8",
        minLever = "1",
        maxLever = "125",
        posLimit = "0.05",
        maintainTime = "",
    };
}
