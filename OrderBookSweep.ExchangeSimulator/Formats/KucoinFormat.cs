namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// GET /api/v2/symbols plus /api/v1/market/allTickers (ccxt reads fees from it) and
/// /api/v1/market/orderbook/level2_{20|100}?symbol=BTC-USDT (the depth is in the path).
/// </summary>
public sealed class KucoinFormat : ExchangeFormat
{
    private const string BookPrefix = "/api/v1/market/orderbook/level2_";

    public override string Id => "kucoin";

    public override string Host => "api.kucoin.com";

    public override string MarketId(string baseCurrency, string quoteCurrency) => $"{baseCurrency}-{quoteCurrency}";

    public override bool IsMarketsPath(string path) => path is "/api/v2/symbols" or "/api/v1/market/allTickers";

    public override object Markets(string path, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => path == "/api/v2/symbols"
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

    public override BookRequest? MatchBook(string path, IQueryCollection query) =>
        path.StartsWith(BookPrefix, StringComparison.Ordinal) && int.TryParse(path[BookPrefix.Length..], out var limit)
            ? new BookRequest(query["symbol"].ToString(), limit)
            : null;

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
