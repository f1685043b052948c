namespace OrderBookSweep.ExchangeSimulator;

/// <summary>GET /v5/market/instruments-info?category=spot and /v5/market/orderbook?category=spot&amp;symbol=BTCUSDT&amp;limit=N.</summary>
public sealed class BybitFormat : ExchangeFormat
{
    public override string Id => "bybit";

    public override IReadOnlyList<string> Hosts { get; } = ["api.bybit.com"];


    public override IReadOnlyList<Listing> Listings { get; } = [new("spot", MarketType.Spot, Small: 20, Realistic: 650)];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(80);

    public override int RequestsPerSecond => 60;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status200OK, new { retCode = 10006, retMsg = "Too many visits!", result = new { }, retExtInfo = new { }, time = 0L });

    public override int DefaultDepth(SimulatedMarket market) => 1;

    public override int MaxDepth(SimulatedMarket market) => 200;

    public override string MarketId(SimulatedMarket market) => market.Base + market.Quote;

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) => path switch
    {
        "/v5/market/instruments-info" => new ExchangeRequest(EndpointKind.Markets, query["category"].ToString()),
        "/v5/market/orderbook" => new ExchangeRequest(EndpointKind.OrderBook, query["category"].ToString(), query["symbol"].ToString(), IntQuery(query, "limit")),
        _ => null,
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => new
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
