using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// Bybit v5: /v5/market/instruments-info?category=spot|linear|inverse|option and
/// /v5/market/orderbook?category=...&amp;symbol=...&amp;limit=N. ccxt asks linear and inverse twice
/// (status=PreLaunch too) and pages them by cursor; options once per base coin (BTC, ETH, SOL, XRP,
/// MNT, DOGE), first page only. Options are USDC-settled; inverse contracts count one USD each.
/// Currencies come from a private endpoint ccxt skips without keys.
/// </summary>
public sealed class BybitFormat : ExchangeFormat
{
    private const string Spot = "spot";
    private const string Linear = "linear";
    private const string Inverse = "inverse";
    private const string Option = "option";

    // Bybit's page size without a limit parameter, and the most it takes.
    private const int DefaultPage = 500;
    private const int MaxPage = 1000;

    public override string Id => "bybit";

    public override IReadOnlyList<string> Hosts { get; } = ["api.bybit.com"];

    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(Spot, MarketType.Spot, Small: 20, Realistic: 650),
        new(Linear, MarketType.Swap, Small: 5, Realistic: 520) { Margin = Margin.Linear, AmountDecimals = 3 },
        new(Linear, MarketType.Future, Small: 2, Realistic: 20) { Margin = Margin.Linear, Expiries = 4, AmountDecimals = 3 },
        new(Inverse, MarketType.Swap, Small: 3, Realistic: 12) { Margin = Margin.Inverse, Quote = "USD", AmountDecimals = 0 },
        new(Inverse, MarketType.Future, Small: 2, Realistic: 8) { Margin = Margin.Inverse, Quote = "USD", Expiries = 2, AmountDecimals = 0 },
        new(Option, MarketType.Option, Small: 8, Realistic: 1200)
        {
            Margin = Margin.Linear, Quote = "USDC", Underlyings = 3, Expiries = 8, PriceDecimals = 1, AmountDecimals = 2,
        },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(80);

    // Bybit allows 600 requests per 5 s from one IP; ccxt paces it at 50 a second.
    public override int RequestsPerSecond => 120;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status200OK,
        new { retCode = 10006, retMsg = "Too many visits!", result = new { }, retExtInfo = new { }, time = 0L });

    public override int DefaultDepth(SimulatedMarket market) => market.Category switch { Spot or Option => 1, _ => 25 };

    public override int MaxDepth(SimulatedMarket market) => market.Category switch { Spot => 200, Option => 25, _ => 500 };

    public override string MarketId(SimulatedMarket market) => market switch
    {
        { Type: MarketType.Spot or MarketType.Swap } => market.Base + market.Quote,
        { Type: MarketType.Future, Margin: Margin.Linear } => $"{market.Base}{market.Quote}-{Date(market)}",
        // Inverse futures: BTCUSD, the month's futures code, the year: BTCUSDZ26.
        { Type: MarketType.Future } => $"{market.Base}{market.Quote}{"FGHJKMNQUVXZ"[market.Expiry!.Value.Month - 1]}{market.Expiry.Value:yy}",
        _ => $"{market.Base}-{Date(market)}-{Text(market.Strike!.Value)}-{(market.OptionType == OptionType.Call ? "C" : "P")}",
    };

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) => path switch
    {
        "/v5/market/instruments-info" => new ExchangeRequest(EndpointKind.Markets, query["category"].ToString()),
        "/v5/market/orderbook" => new ExchangeRequest(EndpointKind.OrderBook, query["category"].ToString(), query["symbol"].ToString(), IntQuery(query, "limit")),
        _ => null,
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now)
    {
        var baseCoin = query["baseCoin"].ToString();
        // Every simulated market is trading: a request for pre-launch ones gets none.
        var listed = markets.Where(m => query["status"].ToString() is "" or "Trading" && (baseCoin.Length == 0 || m.Base == baseCoin)).ToArray();
        // Spot comes whole; the others a page at a time, the cursor being the offset.
        var offset = int.TryParse(query["cursor"], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) ? cursor : 0;
        var page = request.Category == Spot ? listed.Length : Math.Clamp(IntQuery(query, "limit") ?? DefaultPage, 1, MaxPage);
        var list = listed.Skip(offset).Take(page).Select(m => Instrument(m, now)).ToArray();
        return new
        {
            retCode = 0,
            retMsg = "OK",
            // ccxt pages while a cursor comes back: none after the last page.
            result = offset + page < listed.Length
                ? (object)new { category = request.Category, list, nextPageCursor = (offset + page).ToString(CultureInfo.InvariantCulture) }
                : new { category = request.Category, list },
            retExtInfo = new { },
            time = now.ToUnixTimeMilliseconds(),
        };
    }

    public override object Book(SimulatedMarket market, SimulatedBook book) => new
    {
        retCode = 0,
        retMsg = "OK",
        result = new
        {
            s = market.Id,
            b = Levels(book.Bids),
            a = Levels(book.Asks),
            ts = book.Time.ToUnixTimeMilliseconds(),
            u = book.Sequence,
            seq = book.Sequence,
            cts = book.Time.ToUnixTimeMilliseconds(),
        },
        retExtInfo = new { },
        time = book.Time.ToUnixTimeMilliseconds(),
    };

    // 26DEC25, as Bybit writes expiries in ids.
    private static string Date(SimulatedMarket market) =>
        market.Expiry!.Value.ToString("dMMMyy", CultureInfo.InvariantCulture).ToUpperInvariant();

    private static object Instrument(SimulatedMarket m, DateTimeOffset now)
    {
        var launchTime = now.AddDays(-30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var deliveryTime = m.Expiry?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "0";
        var priceFilter = new { minPrice = Step(m.PriceDecimals), maxPrice = "1999999", tickSize = Step(m.PriceDecimals) };
        return m.Type switch
        {
            MarketType.Spot => new
            {
                symbol = m.Id,
                baseCoin = m.Base,
                quoteCoin = m.Quote,
                innovation = "0",
                status = "Trading",
                marginTrading = "none",
                lotSizeFilter = new
                {
                    basePrecision = Step(m.AmountDecimals),
                    quotePrecision = Step(m.PriceDecimals),
                    minOrderQty = Step(m.AmountDecimals),
                    maxOrderQty = "9000",
                    minOrderAmt = "1",
                    maxOrderAmt = "2000000",
                },
                priceFilter = new { tickSize = Step(m.PriceDecimals) },
            },
            MarketType.Option => new
            {
                symbol = m.Id,
                optionsType = m.OptionType == OptionType.Call ? "Call" : "Put",
                status = "Trading",
                baseCoin = m.Base,
                quoteCoin = m.Quote,
                settleCoin = m.Settle,
                launchTime,
                deliveryTime,
                deliveryFeeRate = "0.00015",
                priceFilter,
                lotSizeFilter = new { maxOrderQty = "10000", minOrderQty = Step(m.AmountDecimals), qtyStep = Step(m.AmountDecimals) },
            },
            _ => (object)new
            {
                symbol = m.Id,
                contractType = (m.Margin, m.Type) switch
                {
                    (Margin.Linear, MarketType.Swap) => "LinearPerpetual",
                    (Margin.Linear, _) => "LinearFutures",
                    (_, MarketType.Swap) => "InversePerpetual",
                    _ => "InverseFutures",
                },
                status = "Trading",
                baseCoin = m.Base,
                quoteCoin = m.Quote,
                launchTime,
                deliveryTime,
                deliveryFeeRate = m.Type == MarketType.Future ? "0.0005" : "",
                priceScale = m.PriceDecimals.ToString(CultureInfo.InvariantCulture),
                leverageFilter = new { minLeverage = "1", maxLeverage = "100.00", leverageStep = "0.01" },
                priceFilter,
                // ccxt reads an inverse contract's size from its minimum order.
                lotSizeFilter = new
                {
                    maxOrderQty = "1000000",
                    minOrderQty = m.Margin == Margin.Inverse ? Text(m.ContractSize!.Value) : Step(m.AmountDecimals),
                    qtyStep = Step(m.AmountDecimals),
                    postOnlyMaxOrderQty = "1000000",
                    minNotionalValue = "5",
                },
                unifiedMarginTrade = true,
                fundingInterval = m.Type == MarketType.Swap ? 480 : 0,
                settleCoin = m.Settle,
            },
        };
    }
}
