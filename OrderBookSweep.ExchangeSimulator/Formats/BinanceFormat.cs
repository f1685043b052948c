namespace OrderBookSweep.ExchangeSimulator;

/// <summary>GET /api/v3/exchangeInfo and /api/v3/depth?symbol=BTCUSDT&amp;limit=N.</summary>
public sealed class BinanceFormat : ExchangeFormat
{
    public override string Id => "binance";

    public override string Host => "api.binance.com";

    public override string MarketId(string baseCurrency, string quoteCurrency) => baseCurrency + quoteCurrency;

    public override bool IsMarketsPath(string path) => path == "/api/v3/exchangeInfo";

    public override object Markets(string path, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => new
    {
        timezone = "UTC",
        serverTime = now.ToUnixTimeMilliseconds(),
        symbols = markets.Select(m => new
        {
            symbol = m.Id,
            status = "TRADING",
            baseAsset = m.Base,
            baseAssetPrecision = 8,
            quoteAsset = m.Quote,
            quotePrecision = 8,
            quoteAssetPrecision = 8,
            orderTypes = new[] { "LIMIT", "MARKET" },
            isSpotTradingAllowed = true,
            isMarginTradingAllowed = false,
            permissions = new[] { "SPOT" },
            filters = new object[]
            {
                new { filterType = "PRICE_FILTER", minPrice = "0.01", maxPrice = "1000000.00", tickSize = "0.01" },
                new { filterType = "LOT_SIZE", minQty = "0.0001", maxQty = "9000.0000", stepSize = "0.0001" },
            },
        }),
    };

    public override BookRequest? MatchBook(string path, IQueryCollection query) =>
        path == "/api/v3/depth" ? new BookRequest(query["symbol"].ToString(), IntQuery(query, "limit")) : null;

    public override object Book(SimulatedMarket market, SimulatedBook book) => new
    {
        lastUpdateId = book.Sequence,
        bids = Levels(book.Bids),
        asks = Levels(book.Asks),
    };
}
