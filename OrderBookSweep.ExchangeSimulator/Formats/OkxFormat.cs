namespace OrderBookSweep.ExchangeSimulator;

/// <summary>GET /api/v5/public/instruments?instType=SPOT and /api/v5/market/books(-full)?instId=BTC-USDT&amp;sz=N.</summary>
public sealed class OkxFormat : ExchangeFormat
{
    public override string Id => "okx";

    public override string Host => "www.okx.com";

    public override string MarketId(string baseCurrency, string quoteCurrency) => $"{baseCurrency}-{quoteCurrency}";

    public override bool IsMarketsPath(string path) => path == "/api/v5/public/instruments";

    public override object Markets(string path, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => new
    {
        code = "0",
        msg = "",
        data = markets.Select(m => new
        {
            instType = "SPOT",
            instId = m.Id,
            baseCcy = m.Base,
            quoteCcy = m.Quote,
            settleCcy = "",
            ctVal = "",
            ctMult = "",
            ctValCcy = "",
            lever = "",
            listTime = "1606468572000",
            lotSz = "0.0001",
            minSz = "0.0001",
            tickSz = "0.01",
            state = "live",
            uly = "",
        }),
    };

    public override BookRequest? MatchBook(string path, IQueryCollection query) =>
        path is "/api/v5/market/books" or "/api/v5/market/books-full"
            ? new BookRequest(query["instId"].ToString(), IntQuery(query, "sz"))
            : null;

    public override object Book(SimulatedMarket market, SimulatedBook book)
    {
        // OKX levels: [price, size, "0" (deprecated), order count].
        return new
        {
            code = "0",
            msg = "",
            data = new[] { new { asks = Levels(book.Asks, "0", "1"), bids = Levels(book.Bids, "0", "1"), ts = book.Time.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        };
    }
}
