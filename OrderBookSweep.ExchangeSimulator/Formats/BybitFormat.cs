namespace OrderBookSweep.ExchangeSimulator;

/// <summary>GET /v5/market/instruments-info?category=spot and /v5/market/orderbook?category=spot&amp;symbol=BTCUSDT&amp;limit=N.</summary>
public sealed class BybitFormat : ExchangeFormat
{
    public override string Id => "bybit";

    public override string Host => "api.bybit.com";

    public override string MarketId(string baseCurrency, string quoteCurrency) => baseCurrency + quoteCurrency;

    public override bool IsMarketsPath(string path) => path == "/v5/market/instruments-info";

    public override object Markets(string path, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => new
    {
        retCode = 0,
        retMsg = "OK",
        // No nextPageCursor: ccxt would page through it.
        result = new
        {
            category = "spot",
            list = markets.Select(m => new
            {
                symbol = m.Id,
                baseCoin = m.Base,
                quoteCoin = m.Quote,
                innovation = "0",
                status = "Trading",
                marginTrading = "none",
                lotSizeFilter = new
                {
                    basePrecision = "0.0001",
                    quotePrecision = "0.01",
                    minOrderQty = "0.0001",
                    maxOrderQty = "9000",
                    minOrderAmt = "1",
                    maxOrderAmt = "2000000",
                },
                priceFilter = new { tickSize = "0.01" },
            }),
        },
        retExtInfo = new { },
        time = now.ToUnixTimeMilliseconds(),
    };

    public override BookRequest? MatchBook(string path, IQueryCollection query) =>
        path == "/v5/market/orderbook" ? new BookRequest(query["symbol"].ToString(), IntQuery(query, "limit")) : null;

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
        },
        retExtInfo = new { },
        time = book.Time.ToUnixTimeMilliseconds(),
    };
}
