namespace OrderBookSweep.ExchangeSimulator;

/// <summary>GET /0/public/AssetPairs and /0/public/Depth?pair=BTCUSDT&amp;count=N (levels carry a timestamp).</summary>
public sealed class KrakenFormat : ExchangeFormat
{
    public override string Id => "kraken";

    public override string Host => "api.kraken.com";

    public override string MarketId(string baseCurrency, string quoteCurrency) => baseCurrency + quoteCurrency;

    public override bool IsMarketsPath(string path) => path == "/0/public/AssetPairs";

    public override object Markets(string path, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => new
    {
        error = Array.Empty<string>(),
        result = markets.ToDictionary(m => m.Id, m => new
        {
            altname = m.Id,
            wsname = m.Symbol,
            aclass_base = "currency",
            @base = m.Base,
            aclass_quote = "currency",
            quote = m.Quote,
            pair_decimals = 2,
            lot_decimals = 8,
            lot_multiplier = 1,
            fees = new[] { new[] { 0m, 0.26m } },
            fees_maker = new[] { new[] { 0m, 0.16m } },
            ordermin = "0.0001",
            status = "online",
        }),
    };

    public override BookRequest? MatchBook(string path, IQueryCollection query) =>
        path == "/0/public/Depth" ? new BookRequest(query["pair"].ToString(), IntQuery(query, "count")) : null;

    public override object Book(SimulatedMarket market, SimulatedBook book)
    {
        // Kraken levels: [price, volume, timestamp].
        var time = book.Time.ToUnixTimeSeconds();
        return new
        {
            error = Array.Empty<string>(),
            result = new Dictionary<string, object> { [market.Id] = new { asks = Levels(book.Asks, time), bids = Levels(book.Bids, time) } },
        };
    }
}
