using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// Metrics through the whole system: every book of a sweep (spot, linear and inverse contracts,
/// options) comes out of the book API with metrics that its own levels give again, and the
/// markets API compares the venues from the index the workers keep.
/// </summary>
public sealed class MarketsTests
{
    private static readonly string[] Exchanges = ["binance", "okx"];

    [Fact]
    public async Task Every_books_metrics_are_what_its_levels_give_and_the_markets_api_compares_the_venues()
    {
        // One worker replica: the replicas and the cap are the sweep tests' subject, not this one's.
        await using var system = await SweepSystem.StartAsync("embedded", workerReplicas: 1);
        var sweepId = await system.StartSweepAsync(Exchanges);
        var sweep = await system.WaitForSweepAsync(sweepId, TimeSpan.FromMinutes(2));
        Assert.Equal(SweepState.Completed, sweep.State);

        var books = new List<JsonElement>();
        foreach (var exchange in Exchanges)
        {
            var listed = (await system.Simulator.GetFromJsonAsync<JsonElement>($"/admin/markets/{exchange}", SweepSystem.Json))
                .EnumerateArray().ToDictionary(m => m.GetProperty("symbol").GetString()!);
            foreach (var (symbol, market) in listed)
            {
                var book = await system.Scheduler.GetFromJsonAsync<JsonElement>($"/api/orderbooks/{exchange}/{Uri.EscapeDataString(symbol)}", SweepSystem.Json);
                AssertMarket(market, book.GetProperty("market"), $"{exchange} {symbol}");
                AssertMetricsRecomputed(book, $"{exchange} {symbol}");
                books.Add(book);
            }
        }

        // Every kind of market took part, and the contracts' depth is there.
        var types = books.Select(b => b.GetProperty("market").GetProperty("marketType").GetString()).ToHashSet();
        Assert.Equal(["future", "option", "spot", "swap"], types.Order());
        Assert.Contains(books, b => b.GetProperty("market").GetProperty("inverse").ValueKind == JsonValueKind.True
            && b.GetProperty("metrics").GetProperty("depth").ValueKind == JsonValueKind.Array);

        // One symbol across the venues: each venue's metrics are its book's.
        var venues = await system.Scheduler.GetFromJsonAsync<JsonElement>("/api/markets/BTC%2FUSDT?sort=spreadBps", SweepSystem.Json);
        Assert.Equal("BTC/USDT", venues.GetProperty("symbol").GetString());
        var rows = venues.GetProperty("venues").EnumerateArray().ToList();
        Assert.Equal(Exchanges.Order(), rows.Select(r => r.GetProperty("exchange").GetString()).Order());
        foreach (var row in rows)
        {
            var book = books.Single(b => b.GetProperty("exchange").GetString() == row.GetProperty("exchange").GetString() && b.GetProperty("symbol").GetString() == "BTC/USDT");
            Assert.Equal(book.GetProperty("metrics").GetRawText(), row.GetProperty("metrics").GetRawText());
            Assert.Equal(sweepId, row.GetProperty("sweepId").GetInt64());
        }

        var spreads = rows.Select(r => r.GetProperty("metrics").GetProperty("spreadBps").GetDouble()).ToList();
        Assert.Equal(spreads.Order(), spreads);

        // One base across symbols and venues, read as one market.
        var btc = await system.Scheduler.GetFromJsonAsync<JsonElement>("/api/markets?base=BTC&quote=USDT,USDC&type=spot", SweepSystem.Json);
        var symbols = btc.GetProperty("symbols").EnumerateArray().ToList();
        Assert.Contains(symbols, s => s.GetProperty("symbol").GetString() == "BTC/USDT");
        var spot = symbols.SelectMany(s => s.GetProperty("venues").EnumerateArray()).ToList();
        Assert.All(spot, v => Assert.Equal("spot", v.GetProperty("market").GetProperty("marketType").GetString()));
        var consolidated = btc.GetProperty("consolidated");
        Assert.Equal(spot.Count, consolidated.GetProperty("venues").GetInt32());
        var trusted = spot.Where(v => !v.GetProperty("metrics").GetProperty("crossed").GetBoolean()).ToList();
        Assert.Equal(trusted.Max(v => v.GetProperty("metrics").GetProperty("bestBid").GetDouble()), consolidated.GetProperty("bestBid").GetProperty("price").GetDouble());
        Assert.Equal(trusted.Min(v => v.GetProperty("metrics").GetProperty("bestAsk").GetDouble()), consolidated.GetProperty("bestAsk").GetProperty("price").GetDouble());
        var twoPercent = consolidated.GetProperty("depth").EnumerateArray().Single(d => d.GetProperty("percent").GetDouble() == 2);
        Close(trusted.Sum(v => Band(v.GetProperty("metrics"), 2).GetProperty("bidBase").GetDouble()), twoPercent.GetProperty("bidBase").GetDouble(), "summed 2% bid depth");

        // Bad input is a clear 400.
        Assert.Equal(HttpStatusCode.BadRequest, (await system.Scheduler.GetAsync("/api/markets/BTC%2FUSDT?sort=loudest")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await system.Scheduler.GetAsync("/api/markets?base=BTC&type=perpetual")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await system.Scheduler.GetAsync("/api/markets?quote=USDT")).StatusCode);
    }

    /// <summary>The book's market as the simulator lists it (ccxt parses the listing).</summary>
    private static void AssertMarket(JsonElement listed, JsonElement market, string what)
    {
        Assert.True(market.ValueKind == JsonValueKind.Object, $"{what}: no market");
        Assert.Equal(listed.GetProperty("type").GetString(), market.GetProperty("marketType").GetString());
        Assert.Equal(listed.GetProperty("base").GetString(), market.GetProperty("base").GetString());
        Assert.Equal(listed.GetProperty("quote").GetString(), market.GetProperty("quote").GetString());
        Assert.Equal(listed.GetProperty("linear").ToString(), market.GetProperty("linear").ToString());
        Assert.Equal(listed.GetProperty("inverse").ToString(), market.GetProperty("inverse").ToString());
        if (listed.GetProperty("contractSize").ValueKind == JsonValueKind.Number)
        {
            Assert.Equal(listed.GetProperty("contractSize").GetDouble(), market.GetProperty("contractSize").GetDouble());
        }
    }

    /// <summary>
    /// The metrics again from the levels the API returned: the top of the book and the spread by
    /// hand, and every field by the calculator from the book's own market and times.
    /// </summary>
    private static void AssertMetricsRecomputed(JsonElement book, string what)
    {
        var snapshot = book.Deserialize<BookSnapshot>(SweepSystem.Json)!;
        var metrics = book.GetProperty("metrics");
        Assert.True(metrics.ValueKind == JsonValueKind.Object, $"{what}: no metrics");
        var (bid, ask) = (snapshot.Bids[0].Price, snapshot.Asks[0].Price);
        Assert.Equal(bid, metrics.GetProperty("bestBid").GetDouble());
        Assert.Equal(ask, metrics.GetProperty("bestAsk").GetDouble());
        Close((ask - bid) / ((bid + ask) / 2) * 10_000, metrics.GetProperty("spreadBps").GetDouble(), $"{what} spreadBps");
        Assert.Equal(snapshot.Bids.Count, metrics.GetProperty("bidLevels").GetInt32());
        Assert.Equal(snapshot.Asks.Count, metrics.GetProperty("askLevels").GetInt32());

        var again = BookMetricsCalculator.Compute(snapshot.Bids, snapshot.Asks, snapshot.Market!, snapshot.Timestamp, snapshot.FetchedAt, MetricBands.Default);
        var expected = JsonSerializer.SerializeToElement(again, SweepSystem.Json);
        AssertSameJson(expected, metrics, what + " metrics");
    }

    private static void AssertSameJson(JsonElement expected, JsonElement actual, string what)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{what}: {expected} against {actual}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.Equal(expected.EnumerateObject().Select(p => p.Name), actual.EnumerateObject().Select(p => p.Name));
                foreach (var property in expected.EnumerateObject())
                {
                    AssertSameJson(property.Value, actual.GetProperty(property.Name), $"{what}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
                foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    AssertSameJson(e, a, what + "[]");
                }

                break;
            case JsonValueKind.Number:
                Close(expected.GetDouble(), actual.GetDouble(), what);
                break;
            default:
                Assert.Equal(expected.ToString(), actual.ToString());
                break;
        }
    }

    private static JsonElement Band(JsonElement metrics, double percent) =>
        metrics.GetProperty("depth").EnumerateArray().Single(d => d.GetProperty("percent").GetDouble() == percent);

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");
}
