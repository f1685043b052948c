using System.Text.Json;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>
/// Each simulated exchange as a new user meets it: real ccxt with no options at all (default
/// loadMarkets with currencies, ccxt's own throttle), every market parsed as its true type, and a
/// well-formed, plausible book for every one of them. The clients run at once, against a
/// simulator of their own, so the slowest (kraken, one call a second) sets the time.
/// </summary>
public sealed class DefaultClientTests(DefaultClientTests.Runs runs) : IClassFixture<DefaultClientTests.Runs>
{
    /// <summary>Markets by ccxt type (with linear/inverse for contracts) in the small profile, as documented in docs/simulator.md.</summary>
    public static TheoryData<string, Dictionary<string, int>> Exchanges => new()
    {
        { "binance", new() { ["spot"] = 20, ["swap/linear"] = 5, ["future/linear"] = 2, ["swap/inverse"] = 3, ["future/inverse"] = 2 } },
        { "kraken", new() { ["spot"] = 10 } },
        { "okx", new() { ["spot"] = 20, ["swap/linear"] = 5, ["swap/inverse"] = 3, ["future/linear"] = 2, ["future/inverse"] = 2, ["option/inverse"] = 8 } },
        { "bitstamp", new() { ["spot"] = 20 } },
        { "bybit", new() { ["spot"] = 20, ["swap/linear"] = 5, ["future/linear"] = 2, ["swap/inverse"] = 3, ["future/inverse"] = 2, ["option/linear"] = 8 } },
        { "kucoin", new() { ["spot"] = 20, ["swap/linear"] = 5, ["swap/inverse"] = 2, ["future/inverse"] = 2 } },
        { "gate", new() { ["spot"] = 20, ["swap/linear"] = 5, ["swap/inverse"] = 1, ["future/linear"] = 2, ["option/linear"] = 8 } },
        { "bitget", new() { ["spot"] = 20, ["swap/linear"] = 7, ["swap/inverse"] = 2, ["future/inverse"] = 2 } },
        { "mexc", new() { ["spot"] = 20, ["swap/linear"] = 5 } },
        { "htx", new() { ["spot"] = 20, ["swap/linear"] = 5, ["future/linear"] = 2, ["swap/inverse"] = 3, ["future/inverse"] = 2 } },
        { "bitfinex", new() { ["spot"] = 25, ["swap/linear"] = 5 } },
        { "krakenfutures", new() { ["swap/linear"] = 5, ["future/linear"] = 2, ["swap/inverse"] = 2, ["future/inverse"] = 2 } },
    };

    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task A_default_client_loads_every_market_as_its_type_and_gets_a_book_for_each(string exchange, Dictionary<string, int> counts)
    {
        var result = (await runs.ResultAsync(exchange)).RootElement;
        var listed = (await runs.Simulator.MarketsAsync(exchange)).ToDictionary(m => m.Symbol);
        var parsed = result.GetProperty("markets").EnumerateArray().ToArray();

        Assert.Equal(counts, parsed.GroupBy(Kind).ToDictionary(g => g.Key, g => g.Count()));
        Assert.Equal(listed.Keys.Order(), parsed.Select(m => m.GetProperty("symbol").GetString()!).Order());
        foreach (var market in parsed)
        {
            var expected = listed[market.GetProperty("symbol").GetString()!];
            Assert.Equal(
                (expected.Id, expected.Base, expected.Quote, expected.Settle, expected.Type, expected.Linear, expected.Inverse,
                    expected.ContractSize, expected.Expiry, expected.Strike, expected.OptionType),
                (Text(market, "id"), Text(market, "base"), Text(market, "quote"), Text(market, "settle"), Text(market, "type"),
                    Bool(market, "linear"), Bool(market, "inverse"), Number(market, "contractSize"), Whole(market, "expiry"),
                    Number(market, "strike"), Text(market, "optionType")));
        }
        Assert.True(result.GetProperty("currencies").GetInt32() > 0, "ccxt built no currencies");

        var books = result.GetProperty("books").EnumerateArray().ToArray();
        Assert.Equal(parsed.Length, books.Length);
        foreach (var book in books)
        {
            var market = listed[book.GetProperty("symbol").GetString()!];
            var bids = Levels(book, "bids");
            var asks = Levels(book, "asks");
            Assert.True(bids.Length > 0 && asks.Length > 0, $"{market.Symbol}: {bids.Length} bids, {asks.Length} asks");
            Assert.All(bids.Concat(asks), l => Assert.True(l.Price > 0 && l.Amount > 0, $"{market.Symbol}: level {l}"));
            Assert.All(bids.Zip(bids.Skip(1)), p => Assert.True(p.First.Price > p.Second.Price, $"{market.Symbol}: bids out of order"));
            Assert.All(asks.Zip(asks.Skip(1)), p => Assert.True(p.First.Price < p.Second.Price, $"{market.Symbol}: asks out of order"));
            Assert.True(bids[0].Price < asks[0].Price, $"{market.Symbol}: crossed");
            // Each symbol's book is fetched once: the last one served is the one ccxt parsed.
            var served = await runs.Simulator.LastServedBookAsync(exchange, market.Symbol);
            Assert.Equal(served.Bids.Select(l => ((double)l[0], (double)l[1])), bids);
            Assert.Equal(served.Asks.Select(l => ((double)l[0], (double)l[1])), asks);
            // Centred on the instrument's own price: an option's premium, a future's index plus basis.
            var mid = (bids[0].Price + asks[0].Price) / 2;
            var tolerance = market.FairPrice / 1000 + 3 * (double)market.TickSize;
            Assert.True(Math.Abs(mid - market.FairPrice) <= tolerance, $"{market.Symbol}: mid {mid}, fair price {market.FairPrice}");
        }
    }

    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task A_default_client_loads_the_realistic_profile_in_full(string exchange, Dictionary<string, int> smallCounts)
    {
        var result = (await runs.RealisticResultAsync(exchange)).RootElement;
        var listed = await runs.RealisticSimulator.MarketsAsync(exchange);
        var parsed = result.GetProperty("markets").EnumerateArray().ToArray();

        // The same types as the small profile, each of the order of the real exchange's count.
        Assert.Equal(listed.Select(m => m.Symbol).Order(), parsed.Select(m => m.GetProperty("symbol").GetString()!).Order());
        Assert.Equal(smallCounts.Keys.Order(), parsed.Select(Kind).Distinct().Order());
        Assert.True(parsed.Length >= 200, $"{exchange}: {parsed.Length} markets");
    }

    private static string Kind(JsonElement market) =>
        Bool(market, "linear") == true ? $"{Text(market, "type")}/linear"
        : Bool(market, "inverse") == true ? $"{Text(market, "type")}/inverse"
        : Text(market, "type")!;

    private static string? Text(JsonElement market, string name) =>
        market.GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static bool? Bool(JsonElement market, string name) =>
        market.GetProperty(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    private static decimal? Number(JsonElement market, string name) =>
        market.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDecimal() : null;

    private static long? Whole(JsonElement market, string name) =>
        market.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt64() : null;

    private static (double Price, double Amount)[] Levels(JsonElement book, string side) =>
        book.GetProperty(side).EnumerateArray().Select(l => (l[0].GetDouble(), l[1].GetDouble())).ToArray();

    /// <summary>
    /// Simulators of the tests' own, small and realistic, and for each exchange a default-client run
    /// against each (markets only on the realistic one), all started at once.
    /// </summary>
    public sealed class Runs : IAsyncLifetime
    {
        private Dictionary<string, Task<JsonDocument>> _results = [];
        private Dictionary<string, Task<JsonDocument>> _realisticResults = [];

        public SimulatorServer Simulator { get; private set; } = null!;

        public SimulatorServer RealisticSimulator { get; private set; } = null!;

        public Task<JsonDocument> ResultAsync(string exchange) => _results[exchange];

        public Task<JsonDocument> RealisticResultAsync(string exchange) => _realisticResults[exchange];

        public async Task InitializeAsync()
        {
            Simulator = await SimulatorServer.StartAsync();
            RealisticSimulator = await SimulatorServer.StartAsync(new Dictionary<string, string?> { ["Simulator:Profile"] = "Realistic" });
            _results = Start(Simulator);
            _realisticResults = Start(RealisticSimulator, "markets-only");
        }

        public async Task DisposeAsync()
        {
            Task<JsonDocument>[] all = [.. _results.Values, .. _realisticResults.Values];
            await Task.WhenAll(all).ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var result in all.Where(r => r.IsCompletedSuccessfully))
            {
                result.Result.Dispose();
            }
            await Simulator.DisposeAsync();
            await RealisticSimulator.DisposeAsync();
        }

        private static Dictionary<string, Task<JsonDocument>> Start(SimulatorServer simulator, params string[] scope)
        {
            var engineDirectory = Path.Combine(AppContext.BaseDirectory, "ccxt-engine");
            return Exchanges.Select(row => (string)row[0]).ToDictionary(id => id,
                id => NodeScript.RunAsync("default-client.js", [engineDirectory, simulator.BaseUrl.ToString(), id, .. scope]));
        }
    }
}
