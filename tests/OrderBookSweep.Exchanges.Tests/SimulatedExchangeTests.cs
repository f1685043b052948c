using OrderBookSweep.Coordination;
using OrderBookSweep.ExchangeSimulator;
using OrderBookSweep.Worker.Exchanges;
using OrderBookSweep.Worker.Sweeping;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>Real ccxt, through the C# seam, reads each simulated exchange exactly as the simulator served it.</summary>
[Collection(ExchangeCollection.Name)]
public sealed class SimulatedExchangeTests(ExchangeFixture fixture)
{
    // Per test: xunit makes a new instance for each.
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    // limit: what the caller asks for; depth: what comes back (kucoin only takes 20 or 100, bitfinex
    // 1, 25 or 100; bitstamp and krakenfutures have no depth parameter and serve the simulator's whole
    // 100-level book, as do htx's contract books, so htx is asked for none).
    public static TheoryData<string, int?, int> Exchanges => new()
    {
        { "binance", 10, 10 },
        { "kraken", 10, 10 },
        { "okx", 10, 10 },
        { "bybit", 10, 10 },
        { "kucoin", 20, 20 },
        { "bitstamp", null, 100 },
        { "gate", 10, 10 },
        { "bitget", 10, 10 },
        { "mexc", 10, 10 },
        { "htx", null, 100 },
        { "bitfinex", 25, 25 },
        { "krakenfutures", null, 100 },
        { "binance", null, 100 },
    };

    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task Books_through_the_seam_equal_what_the_simulator_served(string exchange, int? limit, int depth)
    {
        await using var session = await fixture.Engine.Engine.CreateExchangeAsync(exchange, _timeout);

        var symbols = await session.LoadMarketsAsync(_timeout);
        var listed = await fixture.Simulator.MarketsAsync(exchange);

        // The worker's defaults: every market type the exchange lists.
        Assert.Equal(exchange, session.ExchangeId);
        Assert.Equal(listed.Select(m => m.Symbol).Order(StringComparer.Ordinal), symbols);
        Assert.Equal(symbols.Order(StringComparer.Ordinal), symbols);
        foreach (var symbol in symbols.Take(3))
        {
            var book = await session.FetchOrderBookAsync(symbol, limit, _timeout);
            var served = await fixture.Simulator.LastServedBookAsync(exchange, symbol);

            Assert.Equal(symbol, book.Symbol);
            Assert.Equal(depth, book.Bids.Count);
            Assert.Equal(depth, book.Asks.Count);
            Assert.Equal(served.Bids.Select(l => new OrderBookLevel((double)l[0], (double)l[1])), book.Bids);
            Assert.Equal(served.Asks.Select(l => new OrderBookLevel((double)l[0], (double)l[1])), book.Asks);
            Assert.All(book.Bids.Zip(book.Bids.Skip(1)), pair => Assert.True(pair.First.Price > pair.Second.Price));
            Assert.All(book.Asks.Zip(book.Asks.Skip(1)), pair => Assert.True(pair.First.Price < pair.Second.Price));
            Assert.True(book.Bids[0].Price < book.Asks[0].Price);
        }
    }

    /// <summary>Every kind of market (spot, linear and inverse swaps and futures, options) as ccxt parsed the simulator's listing.</summary>
    [Theory]
    [InlineData("binance")]
    [InlineData("okx")]
    public async Task A_book_carries_its_markets_type_currencies_and_contract_terms(string exchange)
    {
        await using var session = await fixture.Engine.Engine.CreateExchangeAsync(exchange, _timeout);
        await session.LoadMarketsAsync(_timeout);
        var listed = await fixture.Simulator.MarketsAsync(exchange);

        foreach (var kind in listed.GroupBy(m => (m.Type, m.Linear)))
        {
            var expected = kind.First();
            var book = await session.FetchOrderBookAsync(expected.Symbol, 5, _timeout);
            Assert.Equal(
                (expected.Type, expected.Base, expected.Quote, expected.Settle, (double?)expected.ContractSize, expected.Linear, expected.Inverse),
                (StoredName<Coordination.Metrics.MarketType>.Of(book.Market!.MarketType), book.Market.Base, book.Market.Quote, book.Market.Settle, book.Market.ContractSize,
                    book.Market.Linear, book.Market.Inverse));
        }
    }

    [Fact]
    public async Task Successive_books_differ_and_each_matches_its_served_copy()
    {
        await using var session = await fixture.Engine.Engine.CreateExchangeAsync("okx", _timeout);

        var first = await session.FetchOrderBookAsync("ETH/USDT", 5, _timeout);
        var second = await session.FetchOrderBookAsync("ETH/USDT", 5, _timeout);
        var served = await fixture.Simulator.LastServedBookAsync("okx", "ETH/USDT");

        Assert.NotEqual(first.Bids, second.Bids);
        Assert.Equal(served.Bids.Select(l => new OrderBookLevel((double)l[0], (double)l[1])), second.Bids);
        Assert.NotNull(second.Timestamp);
        Assert.NotNull(second.Datetime);
    }

    [Fact]
    public async Task Concurrent_calls_on_one_engine_each_get_their_own_answer()
    {
        string[] exchanges = ["binance", "kraken", "okx", "bybit"];
        var sessions = await Task.WhenAll(exchanges.Select(e => fixture.Engine.Engine.CreateExchangeAsync(e, _timeout)));
        try
        {
            var symbols = await Task.WhenAll(sessions.Select(s => s.LoadMarketsAsync(_timeout)));

            // 8 x every symbol of 4 exchanges in flight at once, 100-level books: answers interleave on stdout.
            // Repeated: a reader that lets the pipe reuse a buffer still in use fails only under load.
            var calls = Enumerable.Range(0, 8).SelectMany(_ => sessions.Zip(symbols)).SelectMany(pair => pair.Second.Select(async symbol =>
                (pair.First.ExchangeId, symbol, Book: await pair.First.FetchOrderBookAsync(symbol, 100, _timeout))));
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
        await using var session = await engine.Engine.CreateExchangeAsync("bybit", _timeout);

        var symbols = await session.LoadMarketsAsync(_timeout);
        var listed = await fixture.Simulator.MarketsAsync("bybit");

        Assert.Equal(listed.Select(m => m.Symbol).Order(StringComparer.Ordinal).Take(5), symbols);
    }

    /// <summary>
    /// The engine lists the exchanges from ccxt's per-exchange sources, which it imports one by one;
    /// the list must be exactly the one the whole package reports.
    /// </summary>
    [Fact]
    public async Task The_engine_lists_ccxt_exchanges()
    {
        var described = await fixture.Engine.Engine.GetExchangesAsync(_timeout);
        var ids = described.Select(e => e.Id).ToList();

        using var bundle = await NodeScript.RunAsync("bundle-exchanges.js", [Path.Combine(AppContext.BaseDirectory, "ccxt-engine")]);
        var bundleIds = bundle.RootElement.GetProperty("ids").EnumerateArray().Select(id => id.GetString()!);
        Assert.Equal(bundleIds.Order(StringComparer.Ordinal), ids);
        Assert.Superset(ExchangeFormats.Ids.ToHashSet(), ids.ToHashSet());
    }

    /// <summary>
    /// Offline, a default sweep covers the simulated exchanges and those that use only their hosts;
    /// an exchange that shares one host but calls others too (binanceus, gateeu, tokocrypto) is
    /// not simulated: its other hosts would answer 404.
    /// </summary>
    [Fact]
    public async Task Offline_the_simulated_exchanges_are_the_served_ones_and_those_using_only_their_hosts()
    {
        var described = await fixture.Engine.Engine.GetExchangesAsync(_timeout);

        var profiles = ExchangeProfiles.Profile(described, ExchangeFormats.Ids.ToHashSet());

        var simulated = profiles.Where(p => p.Reach == ExchangeReach.Simulated).Select(p => p.Id).Order(StringComparer.Ordinal);
        Assert.Equal(ExchangeFormats.Ids.Concat(["binancecoinm", "binanceusdm", "kucoinfutures"]).Order(StringComparer.Ordinal), simulated);
        Assert.Equal(described.Count, profiles.Count);
        Assert.All(profiles.Where(p => p.Reach != ExchangeReach.Simulated), p => Assert.Equal(ExchangeReach.NotSimulated, p.Reach));
        Assert.True(profiles.Single(p => p.Id == "kraken").RateLimitMs > profiles.Single(p => p.Id == "binance").RateLimitMs);
        Assert.All(ExchangeProfiles.Profile(described, served: null), p => Assert.Equal(ExchangeReach.Direct, p.Reach));
    }

    public static TheoryData<string> Simulated => [.. ExchangeFormats.All.Select(f => f.Id)];

    /// <summary>
    /// Exchanges:MarketTypes reaches each exchange in the shape its own fetchMarkets option has (a
    /// list, htx's and mexc's maps, none): spot loads exactly the spot markets, empty loads them all.
    /// </summary>
    [Theory]
    [MemberData(nameof(Simulated))]
    public async Task MarketTypes_spot_loads_only_spot_markets_and_empty_loads_every_market(string exchange)
    {
        await using var spotSession = await fixture.SpotOnlyEngine.Engine.CreateExchangeAsync(exchange, _timeout);
        await using var everySession = await fixture.Engine.Engine.CreateExchangeAsync(exchange, _timeout);
        var listed = await fixture.Simulator.MarketsAsync(exchange);
        var spot = listed.Where(m => m.Type == "spot").Select(m => m.Symbol).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(listed.Select(m => m.Symbol).Order(StringComparer.Ordinal), await everySession.LoadMarketsAsync(_timeout));
        if (spot.Length == 0)
        {
            var error = await Assert.ThrowsAsync<ExchangeException>(() => spotSession.LoadMarketsAsync(_timeout));
            Assert.Equal("NoMarkets", error.ErrorClass);
        }
        else
        {
            Assert.Equal(spot, await spotSession.LoadMarketsAsync(_timeout));
        }
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
        await using var session = (CcxtExchangeSession)await engine.Engine.CreateExchangeAsync("kraken", _timeout);
        await using var unscaled = (CcxtExchangeSession)await fixture.Engine.Engine.CreateExchangeAsync("kraken", _timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), unscaled.RateLimit);
        Assert.Equal(TimeSpan.FromMilliseconds(50), session.RateLimit);

        var symbols = await session.LoadMarketsAsync(_timeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var symbol in symbols.Take(11))
        {
            await session.FetchOrderBookAsync(symbol, limit: 10, _timeout);
        }

        // Still throttled: 10 spacings of 1.2 x 50 ms at least. Unscaled they would take 12 s.
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(8));
    }
}
