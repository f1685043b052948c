using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>The simulator over plain HTTP: determinism, per-endpoint faults, and the realistic profile's depths, latency and rate limit.</summary>
public sealed class SimulatorEndpointTests
{
    [Fact]
    public async Task Two_simulators_serve_the_same_books_for_every_market_type()
    {
        await using var first = await SimulatorServer.StartAsync();
        await using var second = await SimulatorServer.StartAsync();
        var option = (await first.MarketsAsync("okx")).First(m => m.Type == "option");
        (string Exchange, string Symbol, string Path)[] books =
        [
            ("binance", "ETH/USDT", "/api.binance.com/api/v3/depth?symbol=ETHUSDT&limit=20"),
            ("binance", "ETH/USDT:USDT", "/fapi.binance.com/fapi/v1/depth?symbol=ETHUSDT&limit=20"),
            ("binance", "ETH/USD:ETH", "/dapi.binance.com/dapi/v1/depth?symbol=ETHUSD_PERP&limit=20"),
            ("okx", option.Symbol, $"/www.okx.com/api/v5/market/books?instId={option.Id}&sz=20"),
        ];

        foreach (var (exchange, symbol, path) in books)
        {
            // The second request to one simulator is the next sequence: another book.
            await first.Admin.GetStringAsync(path);
            var firstOfFirst = await first.LastServedBookAsync(exchange, symbol);
            await first.Admin.GetStringAsync(path);
            var secondOfFirst = await first.LastServedBookAsync(exchange, symbol);
            await second.Admin.GetStringAsync(path);
            var firstOfSecond = await second.LastServedBookAsync(exchange, symbol);

            Assert.Equal(Flat(firstOfFirst), Flat(firstOfSecond));
            Assert.NotEqual(Flat(firstOfFirst), Flat(secondOfFirst));
        }
    }

    private static decimal[] Flat(SimulatorServer.ServedBook book) => [.. book.Bids.Concat(book.Asks).SelectMany(l => l)];

    [Fact]
    public async Task A_fault_on_the_currencies_endpoint_leaves_the_markets_endpoint_alone()
    {
        await using var simulator = await SimulatorServer.StartAsync();
        await simulator.SetFaultAsync("kraken", "currencies", "503");

        using var currencies = await simulator.Admin.GetAsync("/api.kraken.com/0/public/Assets");
        using var markets = await simulator.Admin.GetAsync("/api.kraken.com/0/public/AssetPairs");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, currencies.StatusCode);
        Assert.Equal(HttpStatusCode.OK, markets.StatusCode);
    }

    [Fact]
    public async Task Bybit_pages_a_category_by_cursor_and_ends_without_one()
    {
        await using var simulator = await SimulatorServer.StartAsync();
        var listed = (await simulator.MarketsAsync("bybit")).Where(m => m.Category == "linear").Select(m => m.Id).ToArray();

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await BookAsync(simulator, $"/api.bybit.com/v5/market/instruments-info?category=linear&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}")).GetProperty("result");
            seen.AddRange(page.GetProperty("list").EnumerateArray().Select(i => i.GetProperty("symbol").GetString()!));
            cursor = page.TryGetProperty("nextPageCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null && seen.Count <= listed.Length);

        Assert.Equal(listed, seen);
    }

    [Fact]
    public async Task Realistic_profile_serves_the_exchanges_depths_with_latency()
    {
        await using var simulator = await SimulatorServer.StartAsync(new Dictionary<string, string?> { ["Simulator:Profile"] = "Realistic" });

        var watch = Stopwatch.StartNew();
        var spot = await BookAsync(simulator, "/api.binance.com/api/v3/depth?symbol=BTCUSDT");
        var linear = await BookAsync(simulator, "/fapi.binance.com/fapi/v1/depth?symbol=BTCUSDT");
        var limited = await BookAsync(simulator, "/fapi.binance.com/fapi/v1/depth?symbol=BTCUSDT&limit=5000");

        // binance: 100 levels by default on spot, 500 on futures, at most 1,000 there.
        Assert.Equal(100, spot.GetProperty("bids").GetArrayLength());
        Assert.Equal(500, linear.GetProperty("bids").GetArrayLength());
        Assert.Equal(1000, limited.GetProperty("asks").GetArrayLength());
        // Three calls of a typical 60 ms each, jittered: well past what an unloaded loopback takes.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(60), $"three calls took {watch.Elapsed}");
    }

    [Fact]
    public async Task Realistic_profile_answers_a_burst_with_the_exchanges_own_rate_limit_error()
    {
        await using var simulator = await SimulatorServer.StartAsync(new Dictionary<string, string?> { ["Simulator:Profile"] = "Realistic" });

        // binance takes 40 requests a second here; 120 at once go over it within a second or two.
        var answers = await Task.WhenAll(Enumerable.Range(0, 120).Select(async _ =>
        {
            using var response = await simulator.Admin.GetAsync("/api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=5");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.NotEmpty(limited);
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(limited, a => Assert.Equal(-1003, JsonDocument.Parse(a.Body).RootElement.GetProperty("code").GetInt32()));
    }

    private static async Task<JsonElement> BookAsync(SimulatorServer simulator, string path) =>
        JsonDocument.Parse(await simulator.Admin.GetStringAsync(path)).RootElement;
}
