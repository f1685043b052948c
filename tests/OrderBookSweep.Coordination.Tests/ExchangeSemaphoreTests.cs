using System.Diagnostics;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>The global cap: never exceeded under racing workers, lapsed permits, arrival order.</summary>
public abstract class ExchangeSemaphoreSuite(ITestServer server) : CoordinationSuite(server)
{
    [Fact]
    public async Task Racing_workers_never_exceed_the_cap_lose_no_job_nor_work_an_exchange_twice()
    {
        const int cap = 3;
        var options = CoordinationClient.TestOptions(Prefix, cap);
        var scheduler = await ConnectAsync(options);
        var workers = new List<CoordinationClient>();
        for (var i = 0; i < 8; i++)
        {
            workers.Add(await ConnectAsync(options));
        }

        var exchanges = Enumerable.Range(0, 40).Select(i => $"ex{i:D2}").ToList();
        var observer = new ConcurrencyObserver();
        using var stop = new CancellationTokenSource();
        var running = SweepWorkload.RunWorkersAsync(workers, observer, stop.Token);
        var start = await scheduler.Sweeps.StartSweepAsync(exchanges, false, null, null, default);

        var status = await Eventually.UntilAsync(() => scheduler.Sweeps.GetSweepAsync(start.SweepId, default), s => s!.State != SweepState.Running, "the sweep to end");
        await stop.CancelAsync();
        await running;

        Assert.Equal(SweepState.Completed, status!.State);
        Assert.InRange(observer.MaxConcurrent, 1, cap);
        Assert.Empty(observer.ExchangesWorkedTwiceAtOnce);
        Assert.Equal(40, status.Succeeded);
        Assert.Equal(exchanges, status.Outcomes.Keys.Order());
        Assert.All(exchanges, e => Assert.Equal(1, observer.Completions[e]));
        Assert.Empty(await scheduler.Semaphore.GetHoldersAsync(default));
        var book = await scheduler.Results.GetBookAsync("ex07", "BTC/USDT", default);
        Assert.Equal((start.SweepId, 100.5), (book!.SweepId, book.Bids[0].Price));
    }

    [Fact]
    public async Task A_stalled_permit_holder_loses_its_permit_within_the_lease_and_is_told()
    {
        var stalled = await ConnectAsync(CoordinationClient.TestOptions(Prefix, cap: 1));
        // The new holder's lease is long: it must outlive the checks below even when a busy
        // machine delays its renewals past the stalled holder's one-second lease.
        var waitingOptions = CoordinationClient.TestOptions(Prefix, cap: 1);
        waitingOptions.LeaseDuration = TimeSpan.FromSeconds(10);
        var waiting = await ConnectAsync(waitingOptions);
        var held = await stalled.Semaphore.AcquireAsync("stalled", "binance", Soon());
        // From the stalled holder's last renewal, its acquisition: the lease runs out a second later.
        var clock = Stopwatch.StartNew();
        held.SuspendRenewal(true);
        var holders = await waiting.Semaphore.GetHoldersAsync(default);
        Assert.Equal(("stalled", "binance"), (holders.Single().HolderId, holders.Single().Exchange));

        await using var next = await waiting.Semaphore.AcquireAsync("waiting", "kraken", Soon());
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));

        held.SuspendRenewal(false);
        await Eventually.UntilAsync(() => Task.FromResult(held.LeaseLost.IsCancellationRequested), x => x, "the loser to be told");
        Assert.Equal("waiting", (await waiting.Semaphore.GetHoldersAsync(default)).Single().HolderId);
        // Releasing a lost permit must not free the new holder's.
        await held.DisposeAsync();
        Assert.Equal("waiting", (await waiting.Semaphore.GetHoldersAsync(default)).Single().HolderId);
    }

    [Fact]
    public async Task Waiters_are_served_in_arrival_order()
    {
        var options = CoordinationClient.TestOptions(Prefix, cap: 1);
        // A waiter that misses three rechecks loses its place, as a dead one should: at the test
        // options' 100 ms, a busy machine's 300 ms stall sent the first waiter to the back. Waiters
        // are woken by each release, so a longer recheck costs this test no time.
        options.PermitRecheckInterval = options.LeaseDuration;
        var holderClient = await ConnectAsync(options);
        var first = await holderClient.Semaphore.AcquireAsync("holder", "binance", Soon());
        var order = new List<string>();
        var waits = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            var client = await ConnectAsync(options);
            var name = $"waiter-{i}";
            waits.Add(Task.Run(async () =>
            {
                await using var permit = await client.Semaphore.AcquireAsync(name, "kraken", Soon());
                lock (order)
                {
                    order.Add(name);
                }

                await Task.Delay(20);
            }));
            // Each waiter is queued before the next arrives (a fixed pause was not enough on a busy machine).
            var queued = i + 1;
            await Eventually.UntilAsync(async () => await holderClient.Database.SortedSetLengthAsync(Keys.PermitWaiters) == queued, $"waiter-{i} to queue");
        }

        await first.DisposeAsync();
        await Task.WhenAll(waits);
        Assert.Equal(["waiter-0", "waiter-1", "waiter-2", "waiter-3"], order);
    }
}

[Collection(RedisServerCollection.Name)]
public sealed class ExchangeSemaphoreOnRedisServer(RedisServerProcess server) : ExchangeSemaphoreSuite(server);

[Collection(GarnetCollection.Name)]
public sealed class ExchangeSemaphoreOnGarnet(GarnetServer server) : ExchangeSemaphoreSuite(server);
