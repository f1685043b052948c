using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// HTX (Huobi): a default ccxt loadMarkets reads /v2/reference/currencies, then spot
/// (/v1/common/symbols), USDT-margined swaps and futures (/linear-swap-api/v1/swap_contract_info,
/// one list with a business_type), coin-margined swaps (/swap-api/v1/swap_contract_info) and
/// coin-margined futures (/api/v1/contract_contract_info). Books: /market/depth?symbol=btcusdt
/// (spot, depth 5/10/20 or 150 without), /linear-swap-ex/market/depth and /swap-ex/market/depth
/// ?contract_code=..., and /market/depth?symbol=BTC250627 for coin-margined futures; levels are
/// JSON numbers. ccxt templates one {hostname} (api.huobi.pro) for spot and contracts alike, so
/// the two /market/depth are told apart by the id's case; api.hbdm.vn, the contract host proper,
/// is served too.
/// </summary>
public sealed class HtxFormat : ExchangeFormat
{
    private const string Spot = "spot";
    private const string Linear = "linear-swap-api";
    private const string InverseSwap = "swap-api";
    private const string InverseFuture = "contract";
    private const string ContractHost = "api.hbdm.vn";

    public override string Id => "htx";

    public override IReadOnlyList<string> Hosts { get; } = ["api.huobi.pro", ContractHost];

    // Realistic counts: HTX's lists in 2025, about 600 online spot pairs, 230 USDT-margined
    // perpetuals, BTC and ETH USDT-margined futures, about 30 coin-margined perpetuals and 4
    // coins' coin-margined futures. HTX also lists weekly futures; the catalog's are quarterly.
    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(Spot, MarketType.Spot, Small: 20, Realistic: 600),
        new(Linear, MarketType.Swap, Small: 5, Realistic: 230) { Margin = Margin.Linear, ContractSize = 0.001m, AmountDecimals = 0 },
        new(Linear, MarketType.Future, Small: 2, Realistic: 6) { Margin = Margin.Linear, ContractSize = 0.001m, AmountDecimals = 0, Expiries = 3 },
        new(InverseSwap, MarketType.Swap, Small: 3, Realistic: 30) { Margin = Margin.Inverse, Quote = "USD", ContractSize = 10, AmountDecimals = 0 },
        new(InverseFuture, MarketType.Future, Small: 2, Realistic: 16)
            { Margin = Margin.Inverse, Quote = "USD", ContractSize = 10, AmountDecimals = 0, Expiries = 4 },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(110);

    // ccxt paces htx at 10 requests a second.
    public override int RequestsPerSecond => 20;

    // ccxt maps the err-code to RateLimitExceeded before it looks at the status.
    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new Dictionary<string, object?>
    {
        ["status"] = "error",
        ["err-code"] = "rate-too-many-requests",
        ["err-msg"] = "exceeded rate limit",
        ["data"] = null,
    });

    // step0 without a depth parameter: 150 levels; spot also takes 5, 10 or 20.
    public override int DefaultDepth(SimulatedMarket market) => 150;

    public override int MaxDepth(SimulatedMarket market) => 150;

    public override string MarketId(SimulatedMarket market) => market.Category switch
    {
        Spot => (market.Base + market.Quote).ToLowerInvariant(),
        InverseFuture => market.Base + Date(market.Expiry!.Value),
        _ when market.Type == MarketType.Future => $"{market.Base}-{market.Quote}-{Date(market.Expiry!.Value)}",
        _ => $"{market.Base}-{market.Quote}",
    };

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) => path switch
    {
        "/v2/reference/currencies" => new ExchangeRequest(EndpointKind.Currencies),
        "/v1/common/symbols" => new ExchangeRequest(EndpointKind.Markets, Spot),
        "/linear-swap-api/v1/swap_contract_info" => new ExchangeRequest(EndpointKind.Markets, Linear),
        "/swap-api/v1/swap_contract_info" => new ExchangeRequest(EndpointKind.Markets, InverseSwap),
        "/api/v1/contract_contract_info" => new ExchangeRequest(EndpointKind.Markets, InverseFuture),
        "/market/depth" when host == ContractHost || query["symbol"].ToString().Any(char.IsUpper) =>
            new ExchangeRequest(EndpointKind.OrderBook, InverseFuture, query["symbol"].ToString()),
        "/market/depth" => new ExchangeRequest(EndpointKind.OrderBook, Spot, query["symbol"].ToString(), IntQuery(query, "depth")),
        "/linear-swap-ex/market/depth" => new ExchangeRequest(EndpointKind.OrderBook, Linear, query["contract_code"].ToString()),
        "/swap-ex/market/depth" => new ExchangeRequest(EndpointKind.OrderBook, InverseSwap, query["contract_code"].ToString()),
        _ => null,
    };

    public override object Currencies(IReadOnlyList<string> codes, DateTimeOffset now) => new
    {
        code = 200,
        // USD is the coin-margined contracts' quote, not a coin HTX holds.
        data = codes.Where(c => c != "USD").Select(c => new
        {
            currency = c.ToLowerInvariant(),
            assetType = "1",
            chains = new[]
            {
                new
                {
                    chain = c.ToLowerInvariant(),
                    displayName = c,
                    baseChain = c,
                    baseChainProtocol = "",
                    isDynamic = false,
                    numOfConfirmations = "12",
                    numOfFastConfirmations = "6",
                    depositStatus = "allowed",
                    minDepositAmt = "0.001",
                    withdrawStatus = "allowed",
                    minWithdrawAmt = "0.01",
                    withdrawPrecision = "8",
                    maxWithdrawAmt = "1000000.000000000000000000",
                    withdrawQuotaPerDay = "1000000.000000000000000000",
                    withdrawFeeType = "fixed",
                    transactFeeWithdraw = "0.001",
                    addrWithTag = false,
                    addrDepositTag = false,
                },
            },
            instStatus = "normal",
        }),
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) =>
        request.Category switch
        {
            Spot => new { status = "ok", data = markets.Select(SpotMarket) },
            _ => new { status = "ok", data = markets.Select(m => ContractMarket(m, now)), ts = now.ToUnixTimeMilliseconds() },
        };

    public override object Book(SimulatedMarket market, SimulatedBook book)
    {
        var channel = $"market.{market.Id}.depth.step0";
        var time = book.Time.ToUnixTimeMilliseconds();
        return new
        {
            ch = channel,
            status = "ok",
            ts = time,
            tick = new
            {
                bids = NumericLevels(book.Bids),
                asks = NumericLevels(book.Asks),
                ch = channel,
                ts = time,
                id = book.Sequence,
                mrid = book.Sequence,
                version = book.Sequence,
            },
        };
    }

    // HTX writes the tick as a number.
    private static decimal Tick(int decimals) => new(1, 0, 0, false, (byte)decimals);

    private static string Date(DateTimeOffset day) => day.ToString("yyMMdd", CultureInfo.InvariantCulture);

    // HTX writes hyphenated field names.
    private static Dictionary<string, object> SpotMarket(SimulatedMarket m) => new()
    {
        ["base-currency"] = m.Base.ToLowerInvariant(),
        ["quote-currency"] = m.Quote.ToLowerInvariant(),
        ["price-precision"] = m.PriceDecimals,
        ["amount-precision"] = m.AmountDecimals,
        ["symbol-partition"] = "main",
        ["symbol"] = m.Id,
        ["state"] = "online",
        ["value-precision"] = 8,
        ["min-order-amt"] = 0.0001m,
        ["max-order-amt"] = 10000m,
        ["min-order-value"] = 5,
        ["leverage-ratio"] = 5,
        ["api-trading"] = "enabled",
    };

    // The three contract lists share their fields; ccxt tells the linear one by its business_type,
    // and a future from a swap by its delivery_date.
    private static Dictionary<string, object?> ContractMarket(SimulatedMarket m, DateTimeOffset now)
    {
        var settlement = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var contract = new Dictionary<string, object?>
        {
            ["symbol"] = m.Base,
            ["contract_code"] = m.Id,
            ["contract_size"] = m.ContractSize,
            ["price_tick"] = Tick(m.PriceDecimals),
            ["delivery_time"] = m.Expiry?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "",
            ["create_date"] = now.AddDays(-90).ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            ["contract_status"] = 1,
        };
        var contractType = m.Type == MarketType.Swap ? "swap" : m.Expiry < now.AddMonths(3) ? "quarter" : "next_quarter";
        if (m.Type == MarketType.Future || m.Category == Linear)
        {
            contract["delivery_date"] = m.Expiry?.ToString("yyyyMMdd", CultureInfo.InvariantCulture) ?? "";
            contract["contract_type"] = contractType;
        }
        if (m.Category == Linear)
        {
            contract["business_type"] = m.Type == MarketType.Swap ? "swap" : "futures";
            contract["pair"] = $"{m.Base}-{m.Quote}";
            contract["support_margin_mode"] = "all";
            contract["trade_partition"] = m.Quote;
        }
        contract[m.Type == MarketType.Future && m.Category != Linear ? "settlement_time" : "settlement_date"] = settlement;
        return contract;
    }
}
