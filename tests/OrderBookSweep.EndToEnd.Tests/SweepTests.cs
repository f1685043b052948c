using System.Net.Http.Json;
using System.Text.Json;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// A sweep through the whole system: scheduler, queue, semaphore, 3 worker replicas running
/// the real ccxt over real HTTP against the simulator. About 25 s per Redis mode.
/// </summary>
public sealed class SweepTests
{
    private static readonly string[] Healthy = ["binance", "okx", "bitstamp", "bybit", "kucoin"];

    /// <summary>Every order-book request on kraken answers 429.</summary>
    private const string RateLimited = "kraken";

    /// <summary>ccxt exchanges the simulator does not serve: every request is a 404.</summary>
    private static readonly string[] Unreachable = ["gemini", "bitvavo"];

    [Theory]
    [InlineData("embedded")]
    [InlineData("server")]
    public async Task Every_exchange_reaches_an_outcome_books_match_the_simulator_and_the_cap_holds(string redisMode)
    {
        await using var system = await SweepSystem.StartAsync(
            redisMode,
            simulator: new Dictionary<string, string>
            {
                [$"Faults:{RateLimited}:orderbook"] = "429",
                // Slow books keep the healthy exchanges in flight together, so the cap is tested.
                ["Faults:binance:orderbook"] = "latency:00:00:00.150",
                ["Faults:okx:orderbook"] = "latency:00:00:00.150",
                ["Faults:bybit:orderbook"] = "latency:00:00:00.150",
                ["Faults:kucoin:orderbook"] = "latency:00:00:00.150",
                ["Faults:bitstamp:orderbook"] = "latency:00:00:00.150",
            });
        await using var stream = await BookStream.OpenAsync(system.Scheduler);

        string[] all = [.. Healthy, RateLimited, .. Unreachable];
        var sweepId = await system.StartSweepAsync(all);
        var sweep = await system.WaitForSweepAsync(sweepId, TimeSpan.FromMinutes(2));

        // The worker runs its production defaults: every market of every type the simulator lists.
        var listed = new Dictionary<string, int>();
        foreach (var exchange in Healthy.Append(RateLimited))
        {
            listed[exchange] = (await system.Simulator.GetFromJsonAsync<JsonElement>($"/admin/markets/{exchange}", SweepSystem.Json)).GetArrayLength();
        }

        // Every exchange ends in exactly one recorded outcome.
        Assert.Equal(SweepState.Completed, sweep.State);
        Assert.Equal(8, sweep.Total);
        Assert.Equal(all.Order(), sweep.Outcomes.Keys.Order());
        foreach (var exchange in Healthy)
        {
            var outcome = sweep.Outcomes[exchange];
            Assert.True(outcome.Outcome == ExchangeOutcomeKind.Succeeded, $"{exchange}: {outcome}");
            Assert.Equal(listed[exchange], outcome.SymbolsOk);
            Assert.Equal(0, outcome.SymbolsFailed);
        }
        Assert.True(listed["okx"] > 8, $"okx lists {listed["okx"]} markets: derivatives are missing");

        var limited = sweep.Outcomes[RateLimited];
        Assert.Equal(ExchangeOutcomeKind.Failed, limited.Outcome);
        Assert.Equal(0, limited.SymbolsOk);
        Assert.Equal(listed[RateLimited], limited.SymbolsFailed);
        Assert.Contains(limited.ErrorsByClass.Keys, c => c is "DDoSProtection" or "RateLimitExceeded" or "ExchangeError" or "ExchangeNotAvailable");

        foreach (var exchange in Unreachable)
        {
            var outcome = sweep.Outcomes[exchange];
            Assert.Equal(ExchangeOutcomeKind.DeadLettered, outcome.Outcome);
            Assert.False(string.IsNullOrEmpty(outcome.ErrorClass));
        }

        // The simulator, outside the system, never saw more than 5 exchanges in flight at once.
        var stats = await system.SimulatorStatsAsync();
        var maxInFlight = stats.GetProperty("maxDistinctExchangesInFlight").GetInt32();
        Assert.InRange(maxInFlight, 2, 5);

        // Every published book is the one the simulator served, through the API and the SSE stream.
        var books = Healthy.Sum(e => listed[e]);
        await Eventually.UntilAsync(() => stream.Books.Count(b => Healthy.Contains(b.Exchange)) >= books, "every healthy exchange's books on the stream");
        var published = stream.Books.Where(b => Healthy.Contains(b.Exchange)).Distinct().ToList();
        Assert.Equal(books, published.Count);
        foreach (var (exchange, symbol) in published)
        {
            var path = $"{exchange}/{Uri.EscapeDataString(symbol)}";
            var book = await system.Scheduler.GetFromJsonAsync<BookSnapshot>($"/api/orderbooks/{path}", SweepSystem.Json);
            var served = await system.Simulator.GetFromJsonAsync<JsonElement>($"/admin/books/{path}", SweepSystem.Json);
            Assert.NotNull(book);
            Assert.Equal(sweepId, book.SweepId);
            AssertSameLevels(served.GetProperty("bids"), book.Bids, $"{exchange} {symbol} bids");
            AssertSameLevels(served.GetProperty("asks"), book.Asks, $"{exchange} {symbol} asks");
        }

        // Traces cross the queue and the instruments reach the collector.
        await Eventually.UntilAsync(
            () => system.Telemetry.Saw("traces", "sweep-jobs publish")
                && system.Telemetry.Saw("traces", "sweep-jobs process")
                && system.Telemetry.Saw("traces", "load markets")
                && system.Telemetry.Saw("metrics", "orderbooksweep.books")
                && system.Telemetry.Saw("metrics", "orderbooksweep.permit.wait"),
            "the sweep's spans and metrics");
    }

    /// <summary>
    /// Offline, a sweep that names no exchanges covers what the simulator serves (its twelve and the
    /// ccxt exchanges that use only their hosts) and records the rest once as not simulated: the
    /// first sweep a new user starts ends all green.
    /// </summary>
    [Fact]
    public async Task Offline_a_default_sweep_sweeps_what_is_simulated_and_names_the_rest_once()
    {
        await using var system = await SweepSystem.StartAsync("embedded");
        var served = await system.Simulator.GetFromJsonAsync<string[]>("/admin/exchanges", SweepSystem.Json);
        string[] simulated = [.. served!, "binancecoinm", "binanceusdm", "kucoinfutures"];

        using var response = await system.Scheduler.PostAsync("/api/sweeps", content: null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var sweepId = (await response.Content.ReadFromJsonAsync<JsonElement>(SweepSystem.Json)).GetProperty("sweepId").GetInt64();
        var sweep = await system.WaitForSweepAsync(sweepId, TimeSpan.FromMinutes(3));

        var notSimulated = sweep.Outcomes.Where(o => o.Value.Outcome == ExchangeOutcomeKind.NotSimulated).Select(o => o.Key).ToList();
        Assert.Equal((SweepState.Completed, simulated.Length, simulated.Length), (sweep.State, sweep.Total, sweep.Succeeded));
        Assert.Equal(simulated.Order(), sweep.Outcomes.Keys.Except(notSimulated).Order());
        Assert.Contains("coinbase", notSimulated);
        Assert.Equal(notSimulated.Count, sweep.NotSimulated);
        Assert.All(notSimulated, id => Assert.Equal(0, sweep.Outcomes[id].Attempts));
        var deadLetters = await system.Scheduler.GetFromJsonAsync<JsonElement>("/api/deadletters", SweepSystem.Json);
        Assert.Equal(0, deadLetters.GetProperty("total").GetInt32());
        var summary = await system.Scheduler.GetFromJsonAsync<JsonElement>("/health/sweep", SweepSystem.Json);
        Assert.Equal(
            $"sweep {sweepId}: {simulated.Length}/{simulated.Length} succeeded, {notSimulated.Count} not simulated (completed)",
            summary.GetProperty("text").GetString());

        // A list still sweeps what it names: an exchange the simulator does not serve fails as before.
        var listed = await system.WaitForSweepAsync(await system.StartSweepAsync("bitstamp", "coinbase"), TimeSpan.FromMinutes(2));
        Assert.Equal((2, ExchangeOutcomeKind.DeadLettered), (listed.Total, listed.Outcomes["coinbase"].Outcome));
    }

    private static void AssertSameLevels(JsonElement served, IReadOnlyList<OrderBookLevel> published, string what)
    {
        var expected = served.EnumerateArray().Select(l => (l[0].GetDouble(), l[1].GetDouble())).ToList();
        var actual = published.Select(l => (l.Price, l.Amount)).ToList();
        Assert.True(expected.Count > 0, $"{what}: the simulator served an empty side");
        Assert.True(expected.SequenceEqual(actual), $"{what}: published levels differ from the served ones");
    }
}
