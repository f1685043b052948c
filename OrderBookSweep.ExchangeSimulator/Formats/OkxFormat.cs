namespace OrderBookSweep.ExchangeSimulator;

/// <summary>GET /api/v5/public/instruments?instType=SPOT and /api/v5/market/books(-full)?instId=BTC-USDT&amp;sz=N.</summary>
public sealed class OkxFormat : ExchangeFormat
{
    public override string Id => "okx";

    public override IReadOnlyList<string> Hosts { get; } = ["www.okx.com"];


    public override IReadOnlyList<Listing> Listings { get; } = [new("SPOT", MarketType.Spot, Small: 20, Realistic: 700)];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(90);

    public override int RequestsPerSecond => 20;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new { code = "50011", msg = "Too Many Requests", data = Array.Empty<object>() });

    public override int DefaultDepth(SimulatedMarket market) => 400;

    public override int MaxDepth(SimulatedMarket market) => 400;

    public override string MarketId(SimulatedMarket market) => $"{market.Base}-{market.Quote}";

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) => path switch
    {
        "/api/v5/public/instruments" => new ExchangeRequest(EndpointKind.Markets, query["instType"].ToString()),
        "/api/v5/market/books" or "/api/v5/market/books-full" => new ExchangeRequest(EndpointKind.OrderBook, "SPOT", query["instId"].ToString(), IntQuery(query, "sz")),
        _ => null,
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => new
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
