using System.Diagnostics;
using OrderBookSweep.ExchangeSimulator;
using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>
/// Every injected fault, on every simulated exchange, reaches the caller as the ccxt error class
/// (or the seam's own class for garbage bodies) and the retryable flag of the table in docs/exchange-seam.md.
/// </summary>
[Collection(ExchangeCollection.Name)]
public sealed class FaultClassificationTests(ExchangeFixture fixture)
{
    private static readonly string[] ExchangeIds = [.. ExchangeFormats.All.Select(f => f.Id)];
    private static readonly string[] Faults = ["418", "429", "ratelimit", "500", "503", "hang", "reset", "malformed", "html", "empty"];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var exchange in ExchangeIds)
        {
            foreach (var fault in Faults)
            {
                data.Add(exchange, "orderbook", fault);
                // One hang per exchange is enough: it costs a whole RequestTimeout.
                if (fault != "hang")
                {
                    data.Add(exchange, "markets", fault);
                }
            }
        }
        return data;
    }

    /// <summary>The table in docs/exchange-seam.md, as measured with ccxt 4.5.84.</summary>
    public static (string ErrorClass, bool Retryable) Expected(string exchange, string endpoint, string fault) => fault switch
    {
        "418" => ("DDoSProtection", true),
        "429" => exchange switch
        {
            "binance" => ("DDoSProtection", true),
            "okx" => ("ExchangeNotAvailable", true),
            _ => ("RateLimitExceeded", true),
        },
        // Each exchange's own rate-limit answer, classified as ccxt classifies it live: binance's 429 is
        // DDoSProtection whatever its body, and kucoin's {"code":"429000"} is matched by no rule of
        // ccxt's before the generic ExchangeError, so it is not retried.
        "ratelimit" => exchange switch
        {
            "binance" or "kraken" or "bitget" => ("DDoSProtection", true),
            "kucoin" => ("ExchangeError", false),
            _ => ("RateLimitExceeded", true),
        },
        // bitfinex reads any 500 body as its own error answer.
        "500" when exchange == "bitfinex" => ("ExchangeError", false),
        "500" or "503" => ("ExchangeNotAvailable", true),
        "hang" => ("RequestTimeout", true),
        "reset" => ("NetworkError", true),
        // gate splits the id of every element of its spot list: a string body's characters have none.
        "malformed" or "html" when endpoint == "markets" && exchange == "gate" => ("TypeError", false),
        // htx says so itself (OperationFailed: "fetchMarkets() returned an empty response").
        "malformed" or "html" or "empty" when endpoint == "markets" && exchange == "htx" => ("OperationFailed", false),
        // htx's book parsing throws on a body without its fields; bitfinex's raw book is a flat list it
        // splits itself, so garbage reaches the seam as levels that are not numbers.
        "malformed" or "html" when exchange == "htx" => ("TypeError", false),
        "malformed" or "html" when endpoint == "orderbook" && exchange == "bitfinex" => ("MalformedOrderBook", false),
        "malformed" or "html" when endpoint == "markets" => ("NoMarkets", false),
        // bitstamp and gate insist on their timestamp fields (microtimestamp, current) and say so; the
        // others parse garbage to an empty book.
        "malformed" or "html" when exchange is "bitstamp" or "gate" => ("ExchangeError", false),
        "malformed" or "html" => ("EmptyOrderBook", false),
        "empty" => endpoint == "markets" ? ("NoMarkets", false) : ("EmptyOrderBook", false),
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fault_maps_to_the_ccxt_error_class_and_retryable_flag(string exchange, string endpoint, string fault)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await fixture.Simulator.ClearFaultsAsync(exchange);
        var engine = fault == "hang" ? fixture.ShortTimeoutEngine : fixture.Engine;
        await using var session = await engine.Engine.CreateExchangeAsync(exchange, timeout.Token);
        if (endpoint == "orderbook")
        {
            await session.LoadMarketsAsync(timeout.Token);
        }
        await fixture.Simulator.SetFaultAsync(exchange, endpoint, fault);
        try
        {
            var error = await Assert.ThrowsAsync<ExchangeException>(() => endpoint == "markets"
                ? session.LoadMarketsAsync(timeout.Token)
                : session.FetchOrderBookAsync(exchange == "krakenfutures" ? "BTC/USD:USD" : "BTC/USDT", exchange switch
                {
                    // The depths these take: kucoin 20 or 100, bitfinex 1, 25 or 100.
                    "kucoin" => 20,
                    "bitfinex" => 25,
                    _ => 10,
                }, timeout.Token));

            var (errorClass, retryable) = Expected(exchange, endpoint, fault);
            Assert.Equal(errorClass, error.ErrorClass);
            Assert.Equal(retryable, error.IsRetryable);
            Assert.Equal(exchange, error.ExchangeId);
        }
        finally
        {
            await fixture.Simulator.ClearFaultsAsync(exchange);
        }
    }

    [Fact]
    public async Task Latency_delays_the_answer_without_an_error()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var session = await fixture.Engine.Engine.CreateExchangeAsync("bybit", timeout.Token);
        await session.LoadMarketsAsync(timeout.Token);
        await fixture.Simulator.SetFaultAsync("bybit", "orderbook", "latency:00:00:00.300");
        try
        {
            var watch = Stopwatch.StartNew();
            var book = await session.FetchOrderBookAsync("BTC/USDT", 10, timeout.Token);

            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {watch.Elapsed}");
            Assert.Equal(10, book.Bids.Count);
        }
        finally
        {
            await fixture.Simulator.ClearFaultsAsync("bybit");
        }
    }

    [Fact]
    public async Task Simulator_counts_distinct_exchanges_in_flight()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string[] exchanges = ["binance", "kraken", "okx"];
        var sessions = await Task.WhenAll(exchanges.Select(e => fixture.Engine.Engine.CreateExchangeAsync(e, timeout.Token)));
        try
        {
            await Task.WhenAll(sessions.Select(s => s.LoadMarketsAsync(timeout.Token)));
            // Long enough that all three requests are surely in flight together.
            foreach (var exchange in exchanges)
            {
                await fixture.Simulator.SetFaultAsync(exchange, "orderbook", "latency:00:00:00.500");
            }
            await fixture.Simulator.Admin.PostAsync("/admin/stats/reset", null);

            await Task.WhenAll(sessions.Select(s => s.FetchOrderBookAsync("ETH/USDT", 10, timeout.Token)));

            var stats = await fixture.Simulator.StatsAsync();
            Assert.True(stats.MaxDistinctExchangesInFlight >= 3, $"max distinct in flight {stats.MaxDistinctExchangesInFlight}");
            Assert.All(exchanges, e => Assert.Equal(1, stats.RequestsPerExchange[e]));
        }
        finally
        {
            foreach (var exchange in exchanges)
            {
                await fixture.Simulator.ClearFaultsAsync(exchange);
            }
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }
}
