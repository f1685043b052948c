namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// Kraken's spot API: /0/public/Assets (currencies), /0/public/AssetPairs and
/// /0/public/Depth?pair=BTCUSDT&amp;count=N (levels carry a timestamp). Kraken's derivatives are a
/// separate exchange in ccxt (krakenfutures), so this one is spot only.
/// </summary>
public sealed class KrakenFormat : ExchangeFormat
{
    private const string Spot = "spot";

    public override string Id => "kraken";

    public override IReadOnlyList<string> Hosts { get; } = ["api.kraken.com"];

    // Small: 10, as ccxt paces kraken at a call a second, so each market is a second of a default client's time.
    public override IReadOnlyList<Listing> Listings { get; } = [new(Spot, MarketType.Spot, Small: 10, Realistic: 1100)];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(150);

    // ccxt paces kraken at one request a second, Kraken's own public limit.
    public override int RequestsPerSecond => 2;

    // Kraken answers 200 with the error in the body.
    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status200OK, new { error = new[] { "EGeneral:Too many requests" } });

    public override int DefaultDepth(SimulatedMarket market) => 100;

    public override int MaxDepth(SimulatedMarket market) => 500;

    public override string MarketId(SimulatedMarket market) => market.Base + market.Quote;

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query) => path switch
    {
        "/0/public/Assets" => new ExchangeRequest(EndpointKind.Currencies),
        "/0/public/AssetPairs" => new ExchangeRequest(EndpointKind.Markets, Spot),
        "/0/public/Depth" => new ExchangeRequest(EndpointKind.OrderBook, Spot, query["pair"].ToString(), IntQuery(query, "count")),
        _ => null,
    };

    public override object Currencies(IReadOnlyList<string> codes, DateTimeOffset now) => new
    {
        error = Array.Empty<string>(),
        result = codes.ToDictionary(c => c, c => new
        {
            aclass = "currency",
            altname = c,
            decimals = 8,
            display_decimals = 5,
            collateral_value = 1.0m,
            status = "enabled",
        }),
    };

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) => new
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
            pair_decimals = m.PriceDecimals,
            cost_decimals = 5,
            lot_decimals = 8,
            lot_multiplier = 1,
            fees = new[] { new[] { 0m, 0.4m } },
            fees_maker = new[] { new[] { 0m, 0.25m } },
            ordermin = "0.0001",
            costmin = "0.5",
            tick_size = Step(m.PriceDecimals),
            status = "online",
        }),
    };

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
