using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// Bitfinex's v2 public API (api-pub.bitfinex.com). A default ccxt loadMarkets makes two
/// /v2/conf/{keys} calls: currencies (pub:list:currency and ten maps) and markets (pub:info:pair for
/// spot, pub:info:pair:futures for the USDT-settled perpetuals, then the securities and margin
/// lists). Books: /v2/book/tBTCUSD/R0?len=N, one flat list of raw orders [id, price, amount], bids
/// with a positive amount and asks with a negative one. Bitfinex names some currencies its own way
/// (UST for USDT, ALG, ATO, MNA); ccxt maps them back.
/// </summary>
public sealed class BitfinexFormat : ExchangeFormat
{
    private const string Spot = "spot";
    private const string Perpetual = "perpetual";

    // Bitfinex's ids where they differ from ccxt's codes (ccxt's commonCurrencies for bitfinex, reversed).
    private static readonly Dictionary<string, string> CurrencyIds = new()
    {
        ["USDT"] = "UST",
        ["ALGO"] = "ALG",
        ["ATOM"] = "ATO",
        ["MANA"] = "MNA",
    };

    public override string Id => "bitfinex";

    public override IReadOnlyList<string> Hosts { get; } = ["api-pub.bitfinex.com"];

    // Realistic counts: Bitfinex lists about 280 USD and 140 USDt spot pairs and about 60
    // perpetuals ("F0" pairs) in 2025; its EUR, GBP, JPY, BTC and ETH quotes are left out.
    public override IReadOnlyList<Listing> Listings { get; } =
    [
        new(Spot, MarketType.Spot, Small: 20, Realistic: 280) { Quote = "USD", PriceDecimals = 2, AmountDecimals = 6 },
        new(Spot, MarketType.Spot, Small: 5, Realistic: 140) { PriceDecimals = 2, AmountDecimals = 6 },
        new(Perpetual, MarketType.Swap, Small: 5, Realistic: 60) { Margin = Margin.Linear, AmountDecimals = 6 },
    ];

    public override TimeSpan TypicalLatency => TimeSpan.FromMilliseconds(130);

    // ccxt paces bitfinex at 4 requests a second (240 book requests a minute).
    public override int RequestsPerSecond => 8;

    public override ErrorAnswer RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, new object[] { "error", 11010, "ratelimit: error" });

    // len takes 1, 25 or 100; 25 without.
    public override int DefaultDepth(SimulatedMarket market) => 25;

    public override int MaxDepth(SimulatedMarket market) => 100;

    public override string MarketId(SimulatedMarket market) => "t" + PairId(market);

    public override ExchangeRequest? Match(string host, string path, IQueryCollection query)
    {
        if (path.StartsWith("/v2/conf/", StringComparison.Ordinal))
        {
            var keys = path["/v2/conf/".Length..].Split(',');
            return keys.Contains("pub:list:currency") ? new ExchangeRequest(EndpointKind.Currencies)
                : keys.Contains("pub:info:pair") ? new ExchangeRequest(EndpointKind.Markets)
                : null;
        }
        // /v2/book/{symbol}/R0: raw orders, ccxt's default precision (P0..P4, aggregated levels, are not served).
        return path.Split('/') is ["", "v2", "book", var symbol, "R0"]
            ? new ExchangeRequest(EndpointKind.OrderBook, symbol.Contains("F0:", StringComparison.Ordinal) ? Perpetual : Spot, symbol, IntQuery(query, "len"))
            : null;
    }

    public override object Currencies(IReadOnlyList<string> codes, DateTimeOffset now)
    {
        var ids = codes.Select(CurrencyId).ToArray();
        var perpetuals = new[] { "USTF0" }.Concat(ids.Where(id => id != "UST" && id != "USD").Select(id => id + "F0")).ToArray();
        // Eleven lists, in the order of the keys ccxt asks for.
        return new object[]
        {
            ids.Concat(perpetuals).ToArray(),
            ids.Where(id => id != CodeOf(id)).Select(id => new[] { id, CodeOf(id) }),
            ids.Select(id => new[] { id, CodeOf(id) }),
            Array.Empty<object>(),
            perpetuals.Select(p => new[] { p, p[..^2] }),
            ids.Where(id => id != "USD").Select(id => new[] { id, "ETH" }),
            Array.Empty<object>(),
            ids.Select(id => new object[] { id, new[] { 0m, 0.0004m } }),
            ids.Where(id => id != "USD").Select(id => new object[] { NetworkOf(id), new[] { id } }),
            ids.Where(id => id != "USD").Select(id => new object?[] { NetworkOf(id), 1, 1, null, null, null, null, 0, 0, null, null, 3 }),
            ids.Where(id => id != "USD").ToArray(),
        };
    }

    public override object Markets(ExchangeRequest request, IQueryCollection query, IReadOnlyList<SimulatedMarket> markets, DateTimeOffset now) =>
        new object[]
        {
            // [pair, [.., .., .., min order size, max order size, ...]]; perpetuals add margins.
            markets.Where(m => m.Type == MarketType.Spot)
                .Select(m => new object[] { PairId(m), new object?[] { null, null, null, "0.0002", "2000.0", null, null, null } }),
            markets.Where(m => m.Type == MarketType.Swap)
                .Select(m => new object[] { PairId(m), new object?[] { null, null, null, "0.0002", "100.0", null, null, null, 0.01m, 0.005m } }),
            Array.Empty<string>(),
            markets.Where(m => m.Type == MarketType.Spot).Take(40).Select(PairId),
        };

    public override object Book(SimulatedMarket market, SimulatedBook book) => new RawBook(book, book.Sequence * 1_000_000);

    // "BTCUSD" when both ids have three letters, else "AAVE:USD"; perpetuals "BTCF0:USTF0". A
    // perpetual's base keeps ccxt's code: ccxt maps "ALGF0" to ALG, not ALGO.
    private static string PairId(SimulatedMarket market)
    {
        if (market.Type == MarketType.Swap)
        {
            return $"{market.Base}F0:{CurrencyId(market.Quote)}F0";
        }
        var (baseId, quoteId) = (CurrencyId(market.Base), CurrencyId(market.Quote));
        return baseId.Length == 3 && quoteId.Length == 3 ? baseId + quoteId : $"{baseId}:{quoteId}";
    }

    private static string CurrencyId(string code) => CurrencyIds.GetValueOrDefault(code, code);

    private static string CodeOf(string id) => CurrencyIds.FirstOrDefault(p => p.Value == id).Key ?? id;

    private static string NetworkOf(string id) => id == "BTC" ? "BITCOIN" : id == "ETH" ? "ETHEREUM" : id;

    /// <summary>A raw (R0) book: [order id, price, amount], bids first, asks with negative amounts.</summary>
    [JsonConverter(typeof(RawBookConverter))]
    private sealed record RawBook(SimulatedBook Book, long FirstOrderId);

    private sealed class RawBookConverter : JsonConverter<RawBook>
    {
        public override RawBook Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("The simulator only writes books.");

        public override void Write(Utf8JsonWriter writer, RawBook value, JsonSerializerOptions options)
        {
            var orderId = value.FirstOrderId;
            writer.WriteStartArray();
            foreach (var (levels, sign) in new[] { (value.Book.Bids, 1m), (value.Book.Asks, -1m) })
            {
                foreach (var level in levels)
                {
                    writer.WriteStartArray();
                    writer.WriteNumberValue(orderId++);
                    writer.WriteNumberValue(level.Price);
                    writer.WriteNumberValue(sign * level.Amount);
                    writer.WriteEndArray();
                }
            }
            writer.WriteEndArray();
        }
    }
}
