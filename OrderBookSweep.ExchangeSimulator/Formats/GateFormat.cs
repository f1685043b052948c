using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// Gate's API v4 (api.gateio.ws/api/v4) as a default ccxt loadMarkets reads it: spot pairs with the
/// margin pairs beside them (spot/currency_pairs, margin/currency_pairs), perpetuals settled in USDT
/// and in BTC (futures/{settle}/contracts), dated futures settled in USDT (delivery/usdt/contracts),
/// options per underlying (options/underlyings, then options/contracts?underlying=BTC_USDT) and
/// spot/currencies. Books: spot/order_book?currency_pair=, futures|delivery/{settle}/order_book and
/// options/order_book?contract=; contract levels are {"p": price, "s": whole contracts} and their
/// times are in seconds.
/// </summary>
public sealed class GateFormat : ExchangeFormat
{
    private const string Prefix = "/api/v4/";
    private const string Spot = "spot";
    private const string Options = "options";
    private const string UsdtSwaps = "futures/usdt";
    private const string BtcSwaps = "futures/btc";
    private const string UsdtFutures = "delivery/usdt";

    // What each of the two spot listings asks: the pairs, or the margin terms of some of them.
    private const string MarginEndpoint = "margin";
    private const string UnderlyingsEndpoint = "underlyings";

    public override string Id => "gate";

    public override IReadOnlyList<string> Hosts { get; } = ["api.gateio.ws"];

    // Realistic counts: rounded from gate's public market lists of the mid 2020s (about 2,300
    // spot pairs, 600 USDT perpetuals, BTC_USD alone settled in BTC, a few USDT quarterlies, a few
    // hundred BTC and ETH options), not measured here: see docs/simulator.md.
    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(Spot, MarketType.Spot, Small: 20, Realistic: 2300),
        new(UsdtSwaps, MarketType.Swap, Small: 5, Realistic: 600) { Margin = Margin.Linear, ContractSize = 0.01m, AmountDecimals = 0 },
        new(BtcSwaps, MarketType.Swap, Small: 1, Realistic: 1) { Margin = Margin.Inverse, Quote = "USD", AmountDecimals = 0 },
        new(UsdtFutures, MarketType.Future, Small: 2, Realistic: 4) { Margin = Margin.Linear, ContractSize = 0.01m, AmountDecimals = 0 },
        new(Options, MarketType.Option, Small: 8, Realistic: 400) { Margin = Margin.Linear, Expiries = 4, PriceDecimals = 1, AmountDecimals = 0 },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(120);

    // ccxt paces gate at 20 requests a second (200 per 10 s per endpoint); twice that is answered TOO_MANY_REQUESTS.
    public override int RequestsPerSecond => 40;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new
    {
        label = "TOO_MANY_REQUESTS",
        message = "Request Rate Limit Exceeded (007)",
    });

    // Gate's books answer 10 levels without a limit; spot takes up to 1000 (ccxt's cap), contracts 300.
    public override int DefaultDepth(SimulatedMarket market) => 10;

    public override int MaxDepth(SimulatedMarket market) => market.Type == MarketType.Spot ? 1000 : 300;

    public override string MarketId(SimulatedMarket market) => market.Type switch
    {
        MarketType.Future => $"{market.Base}_{market.Quote}_{Date(market)}",
        MarketType.Option => $"{market.Base}_{market.Quote}-{Date(market)}-{Text(market.Strike!.Value)}-{(market.OptionType == OptionType.Call ? "C" : "P")}",
        _ => $"{market.Base}_{market.Quote}",
    };

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query)
    {
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var limit = IntQuery(query, "limit");
        switch (path[Prefix.Length..])
        {
            case "spot/currency_pairs":
                return new ExchangeRequest(EndpointKind.Markets, Spot);
            case "margin/currency_pairs":
                return new ExchangeRequest(EndpointKind.Markets, Spot, Endpoint: MarginEndpoint);
            case "spot/currencies":
                return new ExchangeRequest(EndpointKind.Currencies);
            case "spot/order_book":
                return new ExchangeRequest(EndpointKind.OrderBook, Spot, query["currency_pair"].ToString(), limit);
            case "options/underlyings":
                return new ExchangeRequest(EndpointKind.Markets, Options, Endpoint: UnderlyingsEndpoint);
            case "options/contracts":
                return new ExchangeRequest(EndpointKind.Markets, Options);
            case "options/order_book":
                return new ExchangeRequest(EndpointKind.OrderBook, Options, query["contract"].ToString(), limit);
        }
        // futures|delivery/{settle}/contracts|order_book: the category is the first two segments.
        var segments = path[Prefix.Length..].Split('/');
        if (segments is not [("futures" or "delivery") and var section, var settle, var endpoint])
        {
            return null;
        }
        var category = $"{section}/{settle}";
        return endpoint switch
        {
            "contracts" => new ExchangeRequest(EndpointKind.Markets, category),
            "order_book" => new ExchangeRequest(EndpointKind.OrderBook, category, query["contract"].ToString(), limit),
            _ => null,
        };
    }

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) =>
        (request.Category, request.Endpoint) switch
        {
            // About one pair in five can be traded on margin.
            (Spot, MarginEndpoint) => markets.Where((_, i) => i % 5 == 0).Select(MarginPair),
            (Spot, _) => markets.Select(m => SpotPair(m, now)),
            (Options, UnderlyingsEndpoint) => markets.DistinctBy(Underlying).Select(m => new
            {
                name = Underlying(m),
                index_price = Text((decimal)FairPrices.Index(m.Base)),
                index_time = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            }),
            (Options, _) => markets.Where(m => Underlying(m) == query["underlying"].ToString()).Select(m => OptionContract(m, now)),
            _ => markets.Select(m => Contract(m, now)),
        };

    public override object Currencies(IReadOnlyList<string> codes, DateTimeOffset now) => codes.Select(code => new
    {
        currency = code,
        name = code,
        delisted = false,
        withdraw_disabled = false,
        withdraw_delayed = false,
        deposit_disabled = false,
        trade_disabled = false,
        fixed_rate = "",
        chain = code,
        chains = new[] { new { name = code, addr = "", withdraw_disabled = false, withdraw_delayed = false, deposit_disabled = false } },
    });

    public override object Book(SimulatedMarket market, SimulatedBook book)
    {
        if (market.Type == MarketType.Spot)
        {
            var time = book.Time.ToUnixTimeMilliseconds();
            return new { id = book.Sequence, current = time, update = time, asks = Levels(book.Asks), bids = Levels(book.Bids) };
        }
        var seconds = book.Time.ToUnixTimeMilliseconds() / 1000.0;
        return new
        {
            id = book.Sequence,
            current = seconds,
            update = seconds,
            asks = book.Asks.Select(l => new { p = Text(l.Price), s = l.Amount }),
            bids = book.Bids.Select(l => new { p = Text(l.Price), s = l.Amount }),
        };
    }

    private static string Date(SimulatedMarket market) => market.Expiry!.Value.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Underlying(SimulatedMarket market) => $"{market.Base}_{market.Quote}";

    private static object SpotPair(SimulatedMarket m, DateTimeOffset now) => new
    {
        id = m.Id,
        @base = m.Base,
        base_name = m.Base,
        quote = m.Quote,
        quote_name = m.Quote,
        fee = "0.2",
        min_base_amount = Step(m.AmountDecimals),
        min_quote_amount = "1",
        max_quote_amount = "5000000",
        amount_precision = m.AmountDecimals,
        precision = m.PriceDecimals,
        trade_status = "tradable",
        sell_start = now.AddDays(-400).ToUnixTimeSeconds(),
        buy_start = now.AddDays(-400).ToUnixTimeSeconds(),
        type = "normal",
    };

    private static object MarginPair(SimulatedMarket m) => new
    {
        id = m.Id,
        @base = m.Base,
        quote = m.Quote,
        leverage = 10,
        min_base_amount = Step(m.AmountDecimals),
        min_quote_amount = "1",
        max_quote_amount = "5000000",
        status = 1,
    };

    // Perpetuals and dated futures share their fields but for funding (perpetuals) and expiry (futures).
    private static Dictionary<string, object> Contract(SimulatedMarket m, DateTimeOffset now)
    {
        var price = Text(Math.Round((decimal)m.FairPrice, m.PriceDecimals));
        var contract = new Dictionary<string, object>
        {
            ["name"] = m.Id,
            ["type"] = m.Margin == Margin.Inverse ? "inverse" : "direct",
            ["quanto_multiplier"] = Text(m.ContractSize!.Value),
            ["mark_type"] = "index",
            ["last_price"] = price,
            ["mark_price"] = price,
            ["index_price"] = Text(Math.Round((decimal)FairPrices.Index(m.Base), m.PriceDecimals)),
            ["order_price_round"] = Step(m.PriceDecimals),
            ["mark_price_round"] = Step(m.PriceDecimals),
            ["order_price_deviate"] = "0.5",
            ["leverage_min"] = "1",
            ["leverage_max"] = "100",
            ["maintenance_rate"] = "0.005",
            ["maker_fee_rate"] = "-0.0001",
            ["taker_fee_rate"] = "0.00075",
            ["order_size_min"] = 1,
            ["order_size_max"] = 1_000_000,
            ["orders_limit"] = 100,
            ["create_time"] = now.AddDays(-300).ToUnixTimeSeconds(),
            ["in_delisting"] = false,
            ["status"] = "trading",
        };
        if (m.Expiry is { } expiry)
        {
            contract["underlying"] = Underlying(m);
            contract["cycle"] = "QUARTERLY";
            contract["expire_time"] = expiry.ToUnixTimeSeconds();
            contract["settle_price"] = "0";
            contract["settle_fee_rate"] = "0.0015";
        }
        else
        {
            contract["funding_rate"] = "0.0001";
            contract["funding_interval"] = 28800;
        }
        return contract;
    }

    private static object OptionContract(SimulatedMarket m, DateTimeOffset now) => new
    {
        name = m.Id,
        tag = "WEEK",
        create_time = now.AddDays(-30).ToUnixTimeSeconds(),
        expiration_time = m.Expiry!.Value.ToUnixTimeSeconds(),
        is_call = m.OptionType == OptionType.Call,
        multiplier = Text(m.ContractSize!.Value),
        underlying = Underlying(m),
        underlying_price = Text((decimal)FairPrices.Index(m.Base)),
        last_price = Text(Math.Round((decimal)m.FairPrice, m.PriceDecimals)),
        mark_price = Text(Math.Round((decimal)m.FairPrice, m.PriceDecimals)),
        strike_price = Text(m.Strike!.Value),
        order_price_round = Step(m.PriceDecimals),
        mark_price_round = Step(m.PriceDecimals),
        order_price_deviate = "0.9",
        order_size_min = 1,
        order_size_max = 100_000,
        orders_limit = 50,
        maker_fee_rate = "0.0003",
        taker_fee_rate = "0.0003",
    };
}
