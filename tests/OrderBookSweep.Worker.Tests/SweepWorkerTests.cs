using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;
using OrderBookSweep.Worker.Exchanges;
using OrderBookSweep.Worker.Sweeping;

namespace OrderBookSweep.Worker.Tests;

/// <summary>
/// Every branch of the worker's job loop, on real coordination with a scripted engine: outcomes
/// by what the exchange did, retries, dead letters, and the three ways work stops early (lease
/// lost, permit lost, shutdown deadline), plus an unforeseen error the loop must survive.
/// </summary>
[Collection(GarnetCollection.Name)]
public sealed class SweepWorkerTests(GarnetFixture garnet)
{
    [Fact]
    public async Task It_publishes_the_catalog_then_sweeps_each_exchange_storing_every_book()
    {
        var engine = new ScriptedEngine();
        _ = engine["binance"];
        _ = engine["kraken"];
        await using var rig = await WorkerRig.StartAsync(garnet, engine);

        var catalog = await Eventually.UntilAsync(() => rig.Catalog.GetAsync(default), ids => ids is not null, "the catalog");
        var sweep = await rig.SweepAsync("binance", "kraken");

        Assert.Equal(["binance", "kraken"], catalog);
        Assert.Equal((SweepState.Completed, 2), (sweep.State, sweep.Succeeded));
        Assert.All(sweep.Outcomes.Values, o => Assert.Equal((ExchangeOutcomeKind.Succeeded, 3, 0, 1, rig.Worker.WorkerId), (o.Outcome, o.SymbolsOk, o.SymbolsFailed, o.Attempts, o.Worker)));
        var book = await rig.Results.GetBookAsync("kraken", "ETH/USDT", default);
        Assert.Equal((sweep.SweepId, 100.0, 101.0), (book!.SweepId, book.Bids[0].Price, book.Asks[0].Price));
        Assert.Equal((1, 1), (engine["binance"].Sessions, engine["binance"].Closed));
        Assert.Empty(await rig.Semaphore.GetHoldersAsync(default));
    }

    [Fact]
    public async Task A_catalog_read_that_timed_out_is_tried_again_and_the_worker_goes_on()
    {
        // A timeout surfaces as a cancellation; it must not end the worker as shutdown does.
        var engine = new ScriptedEngine { NextExchangesError = new TaskCanceledException("the engine did not answer in time") };
        _ = engine["binance"];
        await using var rig = await WorkerRig.StartAsync(garnet, engine);

        var catalog = await Eventually.UntilAsync(() => rig.Catalog.GetAsync(default), ids => ids is not null, "the catalog");
        var sweep = await rig.SweepAsync("binance");

        Assert.Equal(["binance"], catalog);
        Assert.Equal((SweepState.Completed, 1), (sweep.State, sweep.Succeeded));
    }

    [Fact]
    public async Task The_outcome_carries_the_median_spread_of_the_books_it_stored()
    {
        var engine = new ScriptedEngine();
        var spot = new MarketInfo(MarketType.Spot, "X", "USDT", null, null, null, null);
        var bestAsk = new Dictionary<string, double> { ["BTC/USDT"] = 101, ["ETH/USDT"] = 102, ["SOL/USDT"] = 104 };
        engine["binance"].Fetch = (symbol, _) => Task.FromResult(
            new OrderBook(symbol, [new OrderBookLevel(100, 1)], [new OrderBookLevel(bestAsk[symbol], 1)], null, null, null, spot));
        _ = engine["kraken"]; // books without a market: no metrics, so no spread
        await using var rig = await WorkerRig.StartAsync(garnet, engine);

        var sweep = await rig.SweepAsync("binance", "kraken");

        // Spreads of 1/100.5, 2/101 and 4/102 of the mid: the middle one is ETH/USDT's.
        Assert.Equal(2 / 101.0 * 10_000, sweep.Outcomes["binance"].MedianSpreadBps!.Value, 1e-9);
        Assert.Null(sweep.Outcomes["kraken"].MedianSpreadBps);
    }

    [Fact]
    public async Task With_metrics_off_books_are_stored_without_market_or_metrics_and_the_market_index_gets_no_entry()
    {
        var engine = new ScriptedEngine();
        var spot = new MarketInfo(MarketType.Spot, "BTC", "USDT", null, null, null, null);
        engine["binance"].Fetch = (symbol, _) => Task.FromResult(
            new OrderBook(symbol, [new OrderBookLevel(100, 1)], [new OrderBookLevel(101, 2)], 1_700_000_000_000, null, null, spot));
        await using var rig = await WorkerRig.StartAsync(garnet, engine, metrics: new MetricsOptions { Enabled = false });

        var sweep = await rig.SweepAsync("binance");

        Assert.Equal((ExchangeOutcomeKind.Succeeded, 3), (sweep.Outcomes["binance"].Outcome, sweep.Outcomes["binance"].SymbolsOk));
        Assert.Null(sweep.Outcomes["binance"].MedianSpreadBps);
        // What the book API reads and serves: the levels as fetched, market and metrics null as on a book stored before metrics.
        var book = await rig.Results.GetBookAsync("binance", "BTC/USDT", default);
        Assert.Equal((sweep.SweepId, 100.0, 2.0, 1_700_000_000_000L), (book!.SweepId, book.Bids[0].Price, book.Asks[0].Amount, book.Timestamp));
        Assert.Null(book.Market);
        Assert.Null(book.Metrics);
        Assert.Empty((await rig.Client.Markets.GetVenuesAsync("BTC/USDT", default)).Venues);
        Assert.Empty((await rig.Client.Markets.GetBaseAsync("BTC", [], null, default)).Symbols);
    }

    [Fact]
    public async Task Symbol_errors_make_a_partial_or_a_failed_outcome_counted_by_class_without_a_retry()
    {
        var engine = new ScriptedEngine();
        engine["binance"].Fetch = (symbol, _) => symbol == "ETH/USDT"
            ? Task.FromException<OrderBook>(new ExchangeException("EmptyOrderBook", false, "binance", "no bids and no asks"))
            : Task.FromResult(ScriptedExchange.BookOf(symbol));
        engine["kraken"].Fetch = (_, _) => Task.FromException<OrderBook>(new ExchangeException("RequestTimeout", true, "kraken", "timed out"));
        await using var rig = await WorkerRig.StartAsync(garnet, engine);

        var sweep = await rig.SweepAsync("binance", "kraken");

        var binance = sweep.Outcomes["binance"];
        Assert.Equal((ExchangeOutcomeKind.Partial, 2, 1, "EmptyOrderBook"), (binance.Outcome, binance.SymbolsOk, binance.SymbolsFailed, binance.ErrorClass));
        Assert.Equal(new Dictionary<string, int> { ["EmptyOrderBook"] = 1 }, binance.ErrorsByClass);
        var kraken = sweep.Outcomes["kraken"];
        Assert.Equal((ExchangeOutcomeKind.Failed, 0, 3, 1), (kraken.Outcome, kraken.SymbolsOk, kraken.SymbolsFailed, kraken.Attempts));
        Assert.Equal(1, engine["kraken"].Sessions);
        Assert.Null(await rig.Results.GetBookAsync("binance", "ETH/USDT", default));
    }

    [Fact]
    public async Task An_exchange_with_no_markets_or_an_unknown_id_is_dead_lettered_at_once()
    {
        var engine = new ScriptedEngine();
        engine["okx"].MarketsError = new ExchangeException("NoMarkets", false, "okx", "loadMarkets gave no markets");
        engine["nosuch"].CreateError = new ExchangeException("UnknownExchange", false, "nosuch", "not a ccxt exchange");
        await using var rig = await WorkerRig.StartAsync(garnet, engine);

        var sweep = await rig.SweepAsync("okx", "nosuch");

        Assert.Equal((ExchangeOutcomeKind.DeadLettered, "NoMarkets", 1), (sweep.Outcomes["okx"].Outcome, sweep.Outcomes["okx"].ErrorClass, sweep.Outcomes["okx"].Attempts));
        Assert.Equal((ExchangeOutcomeKind.DeadLettered, "UnknownExchange"), (sweep.Outcomes["nosuch"].Outcome, sweep.Outcomes["nosuch"].ErrorClass));
        Assert.Equal((1, 1), (engine["okx"].Sessions, engine["okx"].Closed));
        Assert.Equal(2, await rig.Database.ListLengthAsync(rig.Keys.DeadLetters));
    }

    [Fact]
    public async Task A_retryable_exchange_failure_is_retried_until_the_attempts_run_out_then_dead_lettered()
    {
        var engine = new ScriptedEngine();
        engine["bybit"].MarketsError = new ExchangeException("RequestTimeout", true, "bybit", "markets timed out");
        await using var rig = await WorkerRig.StartAsync(garnet, engine, maxAttempts: 3);

        var sweep = await rig.SweepAsync("bybit");

        var bybit = sweep.Outcomes["bybit"];
        Assert.Equal((ExchangeOutcomeKind.DeadLettered, "RequestTimeout", "markets timed out", 3), (bybit.Outcome, bybit.ErrorClass, bybit.Message, bybit.Attempts));
        Assert.Equal(3, engine["bybit"].Sessions);
    }

    [Fact]
    public async Task A_lost_lease_stops_the_work_and_the_worker_writes_nothing_more()
    {
        var engine = new ScriptedEngine();
        engine["binance"].Fetch = (symbol, ct) => symbol == "BTC/USDT" ? ScriptedExchange.Forever(ct) : Task.FromResult(ScriptedExchange.BookOf(symbol));
        await using var rig = await WorkerRig.StartAsync(garnet, engine, new WorkerOptions { SymbolConcurrency = 1 });
        var sweepId = await rig.StartSweepAsync("binance");
        await rig.WaitUntilWorkingOnAsync("binance");

        // Cancelling the sweep takes the job's lease away; the worker learns it at its next renewal.
        Assert.True(await rig.Sweeps.CancelSweepAsync(sweepId, default));

        await Eventually.UntilAsync(async () => (await rig.Semaphore.GetHoldersAsync(default)).Count == 0, "the permit to be released");
        var sweep = (await rig.Sweeps.GetSweepAsync(sweepId, default))!;
        Assert.Equal((SweepState.Cancelled, ExchangeOutcomeKind.Cancelled), (sweep.State, sweep.Outcomes["binance"].Outcome));
        Assert.Null(await rig.Results.GetBookAsync("binance", "BTC/USDT", default));
        Assert.Equal(1, engine["binance"].Closed);

        // The loop lives on.
        engine["kraken"].Symbols = ["BTC/USDT"];
        Assert.Equal(ExchangeOutcomeKind.Succeeded, (await rig.SweepAsync("kraken")).Outcomes["kraken"].Outcome);
    }

    [Fact]
    public async Task A_lost_permit_hands_the_job_back_and_it_is_redone_at_the_same_attempt()
    {
        var engine = new ScriptedEngine();
        var binance = engine["binance"];
        binance.Fetch = (symbol, ct) => binance.Sessions == 1 ? ScriptedExchange.Forever(ct) : Task.FromResult(ScriptedExchange.BookOf(symbol));
        // A long job lease, so that a loaded machine stalling its renewals cannot lapse it and add an
        // attempt; the permit's loss is still seen at its next renewal (2 s).
        await using var rig = await WorkerRig.StartAsync(garnet, engine, lease: TimeSpan.FromSeconds(10));
        var sweepId = await rig.StartSweepAsync("binance");
        await rig.WaitUntilWorkingOnAsync("binance");

        // The permit vanishes (its lease lapsed, as the server sees it): the next renewal says so.
        await rig.Database.KeyDeleteAsync(rig.Keys.PermitHolders);

        var sweep = await rig.WaitForSweepAsync(sweepId);
        Assert.Equal((ExchangeOutcomeKind.Succeeded, 1), (sweep.Outcomes["binance"].Outcome, sweep.Outcomes["binance"].Attempts));
        Assert.Equal((2, 2), (binance.Sessions, binance.Closed));
    }

    [Fact]
    public async Task At_shutdown_work_still_running_after_the_deadline_is_handed_back_with_the_same_attempt()
    {
        var engine = new ScriptedEngine();
        engine["binance"].Fetch = (_, ct) => ScriptedExchange.Forever(ct);
        // Nothing here is about leases: a long one, so that a loaded machine stalling the renewals
        // cannot lapse it and have the other job loop requeue the job with one more attempt.
        var rig = await WorkerRig.StartAsync(
            garnet, engine, new WorkerOptions { ShutdownDeadline = TimeSpan.FromMilliseconds(300) }, lease: TimeSpan.FromSeconds(10));
        await using (rig)
        {
            var sweepId = await rig.StartSweepAsync("binance");
            await rig.WaitUntilWorkingOnAsync("binance");

            await rig.StopAsync();

            var jobId = CoordinationKeys.JobId(sweepId, "binance");
            Assert.Equal([jobId], (await rig.Database.ListRangeAsync(rig.Keys.Queue)).Select(v => v.ToString()));
            Assert.Equal("1", (string?)await rig.Database.HashGetAsync(rig.Keys.Attempts, jobId));
            var sweep = (await rig.Sweeps.GetSweepAsync(sweepId, default))!;
            Assert.Equal((SweepState.Running, 0, 1), (sweep.State, sweep.Outcomes.Count, sweep.Queued));
            Assert.Empty(await rig.Semaphore.GetHoldersAsync(default));
            Assert.Equal(1, engine["binance"].Closed);
        }
    }

    [Fact]
    public async Task An_unforeseen_error_sends_the_job_back_and_the_loop_lives_on()
    {
        var engine = new ScriptedEngine();
        var binance = engine["binance"];
        binance.Fetch = (symbol, _) => binance.Sessions == 1
            ? Task.FromException<OrderBook>(new InvalidOperationException("a bug"))
            : Task.FromResult(ScriptedExchange.BookOf(symbol));
        await using var rig = await WorkerRig.StartAsync(garnet, engine);

        var sweep = await rig.SweepAsync("binance");

        Assert.Equal((ExchangeOutcomeKind.Succeeded, 1), (sweep.Outcomes["binance"].Outcome, sweep.Outcomes["binance"].Attempts));
        Assert.Equal(2, binance.Sessions);
    }
}
