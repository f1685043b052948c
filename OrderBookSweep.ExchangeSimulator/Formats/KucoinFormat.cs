namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// GET /api/v2/symbols plus /api/v1/market/allTickers (ccxt reads fees from it) and
/// /api/v1/market/orderbook/level2_{20|100}?symbol=BTC-USDT (the depth is in the path).
/// </summary>
public sealed class KucoinFormat : ExchangeFormat
{
    private const string BookPrefix = "/api/v1/market/orderbook/level2_";

    public override string Id => "kucoin";

    public override IReadOnlyList<string> Hosts { get; } = ["api.kucoin.com", "api-futures.kucoin.com"];


    public override IReadOnlyList<Listing> Listings { get; } = [new("spot", MarketType.Spot, Small: 20, Realistic: 1000)];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(100);

    public override int RequestsPerSecond => 100;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new { code = "429000", msg = "Too Many Requests" });

    public override int DefaultDepth(SimulatedMarket market) => 100;

    public override int MaxDepth(SimulatedMarket market) => 100;

    public override string MarketId(SimulatedMarket market) => $"{market.Base}-{market.Quote}";

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) =>
        path is "/api/v2/symbols" or "/api/v1/market/allTickers" ? new ExchangeRequest(EndpointKind.Markets, "spot", Endpoint: path)
        : path.StartsWith(BookPrefix, StringComparison.Ordinal) && int.TryParse(path[BookPrefix.Length..], out var limit)
            ? new ExchangeRequest(EndpointKind.OrderBook, "spot", query["symbol"].ToString(), limit)
            : null;

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => request.Endpoint == "/api/v2/symbols"
        ? new
        {
            code = "200000",
            data = (object)markets.Select(m => new
            {
                symbol = m.Id,
                name = m.Id,
                baseCurrency = m.Base,
                quoteCurrency = m.Quote,
                feeCurrency = m.Quote,
                market = "USDS",
                baseMinSize = "0.0001",
                quoteMinSize = "0.1",
                baseMaxSize = "10000000000",
                quoteMaxSize = "99999999",
                baseIncrement = "0.0001",
                quoteIncrement = "0.01",
                priceIncrement = "0.01",
                priceLimitRate = "0.1",
                minFunds = "0.1",
                isMarginEnabled = false,
                enableTrading = true,
            }),
        }
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

    public override object Book(SimulatedMarket market, SimulatedBook book) => new
    {
        code = "200000",
        data = new
        {
            time = book.Time.ToUnixTimeMilliseconds(),
            sequence = book.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            bids = Levels(book.Bids),
            asks = Levels(book.Asks),
        },
    };
}
