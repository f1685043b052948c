using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>GET /api/v2/markets/ and /api/v2/order_book/btcusdt/ (no depth parameter: the whole configured book).</summary>
public sealed class BitstampFormat : ExchangeFormat
{
    private const string BookPrefix = "/api/v2/order_book/";

    public override string Id => "bitstamp";

    public override string Host => "www.bitstamp.net";

    public override string MarketId(string baseCurrency, string quoteCurrency) => (baseCurrency + quoteCurrency).ToLowerInvariant();

    public override bool IsMarketsPath(string path) => path == "/api/v2/markets/";

    public override object Markets(string path, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) =>
        markets.Select(m => new
        {
            name = m.Symbol,
            market_symbol = m.Id,
            base_currency = m.Base,
            base_decimals = 8,
            counter_currency = m.Quote,
            counter_decimals = 2,
            minimum_order_value = "10",
            trading = "Enabled",
            instant_and_market_orders = "Enabled",
            description = $"{m.Base} / {m.Quote}",
            market_type = "SPOT",
        }).ToArray();

    public override BookRequest? MatchBook(string path, IQueryCollection query) =>
        path.StartsWith(BookPrefix, StringComparison.Ordinal) && path.EndsWith('/')
            ? new BookRequest(path[BookPrefix.Length..^1], null)
            : null;

    public override object Book(SimulatedMarket market, SimulatedBook book) => new
    {
        timestamp = book.Time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        microtimestamp = (book.Time.ToUnixTimeMilliseconds() * 1000).ToString(CultureInfo.InvariantCulture),
        bids = Levels(book.Bids),
        asks = Levels(book.Asks),
    };
}
