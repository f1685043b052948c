using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>The engine dying mid-call, cancellation, and bad input: clear errors, and the engine carries on.</summary>
[Collection(ExchangeCollection.Name)]
public sealed class EngineLifecycleTests(ExchangeFixture fixture)
{
    [Fact]
    public async Task Engine_killed_mid_call_fails_the_call_clearly_and_the_next_call_works()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Its own engine, killed below; its 20 s request timeout keeps the hung call in flight until Node dies.
        await using var host = await EngineHost.StartAsync(fixture.Simulator.BaseUrl);
        await using var session = await host.Engine.CreateExchangeAsync("kraken", timeout.Token);
        await session.LoadMarketsAsync(timeout.Token);
        await fixture.Simulator.SetFaultAsync("kraken", "orderbook", "hang");
        try
        {
            var call = session.FetchOrderBookAsync("BTC/USDT", 10, timeout.Token);
            await Eventually.UntilAsync(async () => (await fixture.Simulator.StatsAsync()).InFlightPerExchange.ContainsKey("kraken"), "kraken's hung request in flight", cancellationToken: timeout.Token);
            var killed = host.NodeEngine.CurrentProcess!;

            killed.Kill();

            var error = await Assert.ThrowsAsync<ExchangeException>(() => call);
            Assert.Equal("EngineExited", error.ErrorClass);
            Assert.True(error.IsRetryable);
            Assert.Equal("kraken", error.ExchangeId);
            Assert.Contains("fetchOrderBook", error.Message);

            await fixture.Simulator.ClearFaultsAsync("kraken");
            var book = await session.FetchOrderBookAsync("BTC/USDT", 10, timeout.Token);
            Assert.Equal(10, book.Bids.Count);
            Assert.Equal(1, host.NodeEngine.Restarts);
            Assert.NotEqual(killed.Id, host.NodeEngine.CurrentProcess!.Id);
            Assert.Equal(HealthStatus.Healthy, (await host.CheckHealthAsync()).Status);
        }
        finally
        {
            await fixture.Simulator.ClearFaultsAsync("kraken");
        }
    }

    /// <summary>
    /// After RecycleAfterExchanges different exchanges (2 here; one created twice counts once) the
    /// engine is replaced, but only once no exchange is open; the fresh one serves the next
    /// exchange, and a recycle is not a crash.
    /// </summary>
    [Fact]
    public async Task An_engine_that_met_RecycleAfterExchanges_is_replaced_when_idle_and_never_while_an_exchange_is_open()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var host = await EngineHost.StartAsync(fixture.Simulator.BaseUrl,
            new Dictionary<string, string?> { ["Exchanges:RecycleAfterExchanges"] = "2" });
        var first = host.NodeEngine.CurrentProcess!;
        await using (var kraken = await host.Engine.CreateExchangeAsync("kraken", timeout.Token))
        {
            await kraken.LoadMarketsAsync(timeout.Token);
        }
        var krakenAgain = await host.Engine.CreateExchangeAsync("kraken", timeout.Token);
        await using var okx = await host.Engine.CreateExchangeAsync("okx", timeout.Token);
        await okx.LoadMarketsAsync(timeout.Token);
        Assert.Same(first, host.NodeEngine.CurrentProcess);

        await krakenAgain.DisposeAsync();
        // okx is still open: its book comes from the same engine.
        Assert.Equal(10, (await okx.FetchOrderBookAsync("BTC/USDT", 10, timeout.Token)).Bids.Count);
        Assert.Equal(0, host.NodeEngine.Recycles);
        Assert.Same(first, host.NodeEngine.CurrentProcess);

        await okx.DisposeAsync();
        await Eventually.UntilAsync(() => Task.FromResult(host.NodeEngine.Recycles == 1 && host.NodeEngine.CurrentProcess is { HasExited: false }),
            "the idle engine replaced", cancellationToken: timeout.Token);

        Assert.True(first.HasExited);
        Assert.NotEqual(first.Id, host.NodeEngine.CurrentProcess!.Id);
        await using var again = await host.Engine.CreateExchangeAsync("kraken", timeout.Token);
        await again.LoadMarketsAsync(timeout.Token);
        Assert.Equal(10, (await again.FetchOrderBookAsync("BTC/USDT", 10, timeout.Token)).Bids.Count);
        Assert.Equal(0, host.NodeEngine.Restarts);
        Assert.Equal(HealthStatus.Healthy, (await host.CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task Cancellation_ends_the_call_at_once_and_the_engine_stays_usable()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var session = await fixture.Engine.Engine.CreateExchangeAsync("okx", timeout.Token);
        await session.LoadMarketsAsync(timeout.Token);
        var restartsBefore = fixture.Engine.NodeEngine.Restarts;
        await fixture.Simulator.SetFaultAsync("okx", "orderbook", "hang");
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

            // Without cancellation the hung call would end as ccxt's RequestTimeout (an ExchangeException) after 20 s.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.FetchOrderBookAsync("BTC/USDT", 10, cancel.Token));

            await fixture.Simulator.ClearFaultsAsync("okx");
            Assert.Equal(10, (await session.FetchOrderBookAsync("BTC/USDT", 10, timeout.Token)).Bids.Count);
            Assert.Equal(restartsBefore, fixture.Engine.NodeEngine.Restarts);
        }
        finally
        {
            await fixture.Simulator.ClearFaultsAsync("okx");
        }
    }

    [Fact]
    public async Task An_answer_over_MaxMessageBytes_fails_as_ResponseTooLarge_and_the_engine_carries_on()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // A 5,000-level book is about 250 kB as JSON, over the smallest allowed bound of 64 kB.
        await using var simulator = await SimulatorServer.StartAsync(new Dictionary<string, string?> { ["Simulator:Exchanges:okx:Depth"] = "5000" });
        await using var host = await EngineHost.StartAsync(simulator.BaseUrl,
            new Dictionary<string, string?> { ["Exchanges:MaxMessageBytes"] = "65536" });
        await using var session = await host.Engine.CreateExchangeAsync("okx", timeout.Token);

        var error = await Assert.ThrowsAsync<ExchangeException>(() => session.FetchOrderBookAsync("BTC/USDT", 5000, timeout.Token));

        Assert.Equal("ResponseTooLarge", error.ErrorClass);
        Assert.False(error.IsRetryable);
        Assert.Equal(10, (await session.FetchOrderBookAsync("BTC/USDT", 10, timeout.Token)).Bids.Count);
        Assert.Equal(0, host.NodeEngine.Restarts);
    }

    [Fact]
    public async Task Unknown_exchange_id_is_a_clear_non_retryable_error()
    {
        var error = await Assert.ThrowsAsync<ExchangeException>(() => fixture.Engine.Engine.CreateExchangeAsync("nosuchexchange", CancellationToken.None));

        Assert.Equal("UnknownExchange", error.ErrorClass);
        Assert.False(error.IsRetryable);
        Assert.Contains("nosuchexchange", error.Message);
        await AssertEngineHealthyAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Empty_exchange_id_is_rejected_before_the_engine(string exchangeId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Engine.Engine.CreateExchangeAsync(exchangeId, CancellationToken.None));
        await AssertEngineHealthyAsync();
    }

    [Fact]
    public async Task Unknown_symbol_is_ccxt_BadSymbol()
    {
        await using var session = await fixture.Engine.Engine.CreateExchangeAsync("binance", CancellationToken.None);

        var error = await Assert.ThrowsAsync<ExchangeException>(() => session.FetchOrderBookAsync("NOPE/USDT", 10, CancellationToken.None));

        Assert.Equal("BadSymbol", error.ErrorClass);
        Assert.False(error.IsRetryable);
        await AssertEngineHealthyAsync();
    }

    [Fact]
    public async Task An_exchange_the_simulator_does_not_serve_fails_like_a_broken_network()
    {
        await using var session = await fixture.Engine.Engine.CreateExchangeAsync("bitvavo", CancellationToken.None);

        var error = await Assert.ThrowsAsync<ExchangeException>(() => session.LoadMarketsAsync(CancellationToken.None));

        Assert.Equal("bitvavo", error.ExchangeId);
        await AssertEngineHealthyAsync();
    }

    private async Task AssertEngineHealthyAsync()
    {
        var report = await fixture.Engine.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries[ExchangeEngineExtensions.HealthCheckName].Status);
    }
}
