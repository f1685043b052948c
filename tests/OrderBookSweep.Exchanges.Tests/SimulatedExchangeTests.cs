using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>Real ccxt, through the C# seam, reads each simulated exchange exactly as the simulator served it.</summary>
[Collection(ExchangeCollection.Name)]
public sealed class SimulatedExchangeTests(ExchangeFixture fixture)
{
    // Per test: xunit makes a new instance for each.
    private readonly CancellationToken timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    // limit: what the caller asks for; depth: what comes back (kucoin only takes 20 or 100,
    // bitstamp has no depth parameter and serves the simulator's whole 100-level book).
    public static TheoryData<string, int?, int> Exchanges => new()
    {
        { "binance", 10, 10 },
        { "kraken", 10, 10 },
        { "okx", 10, 10 },
        { "bybit", 10, 10 },
        { "kucoin", 20, 20 },
        { "bitstamp", null, 100 },
        { "binance", null, 100 },
    };

    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task Books_through_the_seam_equal_what_the_simulator_served(string exchange, int? limit, int depth)
    {
        await using var session = await fixture.Engine.Engine.CreateExchangeAsync(exchange, timeout);

        var symbols = await session.LoadMarketsAsync(timeout);
        var listed = await fixture.Simulator.MarketsAsync(exchange);

        // The worker's defaults: every market type the exchange lists.
        Assert.Equal(exchange, session.ExchangeId);
        Assert.Equal(listed.Select(m => m.Symbol).Order(StringComparer.Ordinal), symbols);
        Assert.Contains("BTC/USDT", symbols);
        Assert.Equal(symbols.Order(StringComparer.Ordinal), symbols);
        foreach (var symbol in symbols.Take(3))
        {
            var book = await session.FetchOrderBookAsync(symbol, limit, timeout);
            var served = await fixture.Simulator.LastServedBookAsync(exchange, symbol);

            Assert.Equal(symbol, book.Symbol);
            Assert.Equal(depth, book.Bids.Count);
            Assert.Equal(depth, book.Asks.Count);
            Assert.Equal(served.Bids.Select(l => new OrderBookLevel(l[0], l[1])), book.Bids);
            Assert.Equal(served.Asks.Select(l => new OrderBookLevel(l[0], l[1])), book.Asks);
            Assert.All(book.Bids.Zip(book.Bids.Skip(1)), pair => Assert.True(pair.First.Price > pair.Second.Price));
            Assert.All(book.Asks.Zip(book.Asks.Skip(1)), pair => Assert.True(pair.First.Price < pair.Second.Price));
            Assert.True(book.Bids[0].Price < book.Asks[0].Price);
        }
    }

    [Fact]
    public async Task Successive_books_differ_and_each_matches_its_served_copy()
    {
        await using var session = await fixture.Engine.Engine.CreateExchangeAsync("okx", timeout);

        var first = await session.FetchOrderBookAsync("ETH/USDT", 5, timeout);
        var second = await session.FetchOrderBookAsync("ETH/USDT", 5, timeout);
        var served = await fixture.Simulator.LastServedBookAsync("okx", "ETH/USDT");

        Assert.NotEqual(first.Bids, second.Bids);
        Assert.Equal(served.Bids.Select(l => new OrderBookLevel(l[0], l[1])), second.Bids);
        Assert.NotNull(second.Timestamp);
        Assert.NotNull(second.Datetime);
    }

    [Fact]
    public async Task Concurrent_calls_on_one_engine_each_get_their_own_answer()
    {
        string[] exchanges = ["binance", "kraken", "okx", "bybit"];
        var sessions = await Task.WhenAll(exchanges.Select(e => fixture.Engine.Engine.CreateExchangeAsync(e, timeout)));
        try
        {
            var symbols = await Task.WhenAll(sessions.Select(s => s.LoadMarketsAsync(timeout)));

            // 8 x every symbol of 4 exchanges in flight at once, 100-level books: answers interleave on stdout.
            // Repeated: a reader that lets the pipe reuse a buffer still in use fails only under load.
            var calls = Enumerable.Range(0, 8).SelectMany(_ => sessions.Zip(symbols)).SelectMany(pair => pair.Second.Select(async symbol =>
                (pair.First.ExchangeId, symbol, Book: await pair.First.FetchOrderBookAsync(symbol, 100, timeout))));
            var results = await Task.WhenAll(calls);

            Assert.All(results, r =>
            {
                // A cheap option's bid side ends before zero.
                Assert.Equal(r.symbol, r.Book.Symbol);
                Assert.InRange(r.Book.Bids.Count, 1, 100);
                Assert.Equal(100, r.Book.Asks.Count);
                Assert.True(r.Book.Bids[0].Price < r.Book.Asks[0].Price);
            });
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task MaxSymbolsPerExchange_cuts_the_sorted_symbol_list()
    {
        await using var engine = await EngineHost.StartAsync(fixture.Simulator.BaseUrl,
            new Dictionary<string, string?> { ["Exchanges:MaxSymbolsPerExchange"] = "5" });
        await using var session = await engine.Engine.CreateExchangeAsync("bybit", timeout);

        var symbols = await session.LoadMarketsAsync(timeout);
        var listed = await fixture.Simulator.MarketsAsync("bybit");

        Assert.Equal(listed.Select(m => m.Symbol).Order(StringComparer.Ordinal).Take(5), symbols);
    }

    [Fact]
    public async Task The_engine_lists_ccxt_exchanges()
    {
        var ids = await fixture.Engine.Engine.GetExchangeIdsAsync(timeout);

        Assert.True(ids.Count >= 100, $"{ids.Count} exchange ids");
        Assert.Superset(new HashSet<string> { "binance", "kraken", "okx", "bitstamp", "bybit", "kucoin" }, ids.ToHashSet());
    }

    [Fact]
    public async Task RateLimitScale_multiplies_ccxts_interval_and_paces_the_calls_by_it()
    {
        // kraken: ccxt's rateLimit 1,000 ms, and a book costs 1.2 of it.
        await using var engine = await EngineHost.StartAsync(fixture.Simulator.BaseUrl, new Dictionary<string, string?>
        {
            ["Exchanges:EnableRateLimit"] = "true",
            ["Exchanges:RateLimitScale"] = "0.05",
        });
        await using var session = (CcxtExchangeSession)await engine.Engine.CreateExchangeAsync("kraken", timeout);
        await using var unscaled = (CcxtExchangeSession)await fixture.Engine.Engine.CreateExchangeAsync("kraken", timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), unscaled.RateLimit);
        Assert.Equal(TimeSpan.FromMilliseconds(50), session.RateLimit);

        var symbols = await session.LoadMarketsAsync(timeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var symbol in symbols.Take(11))
        {
            await session.FetchOrderBookAsync(symbol, limit: 10, timeout);
        }

        // Still throttled: 10 spacings of 1.2 x 50 ms at least. Unscaled they would take 12 s.
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(8));
    }
}
