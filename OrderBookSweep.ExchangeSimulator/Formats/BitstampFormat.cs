using System.Globalization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// Bitstamp, spot only: /api/v2/markets/ (ccxt reads both markets and currencies from it, one call)
/// and /api/v2/order_book/btcusdt/ (no depth parameter: the whole book).
/// </summary>
public sealed class BitstampFormat : ExchangeFormat
{
    private const string Spot = "spot";
    private const string BookPrefix = "/api/v2/order_book/";

    public override string Id => "bitstamp";

    public override IReadOnlyList<string> Hosts { get; } = ["www.bitstamp.net"];

    public override IReadOnlyList<Listing> Listings { get; } = [new(Spot, MarketType.Spot, Small: 20, Realistic: 220)];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(120);

    // Bitstamp allows 400 requests a second; ccxt paces it at about 13.
    public override int RequestsPerSecond => 400;

    // ccxt has no Bitstamp-specific rate-limit code: a 429 with a body that is not Bitstamp's
    // {"status": "error"} shape reaches ccxt's status-code mapping, RateLimitExceeded.
    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new { message = "Too Many Requests" });

    // The full book: thousands of levels on the large markets.
    public override int DefaultDepth(SimulatedMarket market) => 2500;

    public override int MaxDepth(SimulatedMarket market) => 2500;

    public override string MarketId(SimulatedMarket market) => (market.Base + market.Quote).ToLowerInvariant();

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) =>
        path == "/api/v2/markets/" ? new ExchangeRequest(EndpointKind.Markets, Spot)
        : path.StartsWith(BookPrefix, StringComparison.Ordinal) && path.EndsWith('/')
            ? new ExchangeRequest(EndpointKind.OrderBook, Spot, path[BookPrefix.Length..^1])
            : null;

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) =>
        markets.Select(m => new
        {
            name = $"{m.Base}/{m.Quote}",
            market_symbol = m.Id,
            base_currency = m.Base,
            base_decimals = 8,
            counter_currency = m.Quote,
            counter_decimals = m.PriceDecimals,
            minimum_order_value = "10",
            trading = "Enabled",
            instant_and_market_orders = "Enabled",
            description = $"{m.Base} / {m.Quote}",
            market_type = "SPOT",
        }).ToArray();

    public override object Book(SimulatedMarket market, SimulatedBook book) => new
    {
        timestamp = book.Time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        microtimestamp = (book.Time.ToUnixTimeMilliseconds() * 1000).ToString(CultureInfo.InvariantCulture),
        bids = Levels(book.Bids),
        asks = Levels(book.Asks),
    };
}
