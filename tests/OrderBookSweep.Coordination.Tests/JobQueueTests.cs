using System.Diagnostics;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>The job queue: claims under leases, fencing, retries, dead letters, hand-backs, foreign data.</summary>
public abstract class JobQueueSuite(ITestServer server) : CoordinationSuite(server)
{
    [Fact]
    public async Task A_stalled_job_holder_loses_the_job_to_another_worker_and_its_late_writes_are_refused()
    {
        var stalled = await ConnectAsync();
        var healthy = await ConnectAsync();
        var start = await stalled.Sweeps.StartSweepAsync(["binance"], false, null, null, default);
        var lost = await stalled.Queue.ClaimAsync("stalled", Soon());
        lost.SuspendRenewal(true);

        var clock = Stopwatch.StartNew();
        await using var taken = await healthy.Queue.ClaimAsync("healthy", Soon());
        // Lease 1 s; a waiting claimer requeues it at its next check (ClaimWait 0.1 s).
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));
        Assert.Equal(("binance", 2), (taken.Job.Exchange, taken.Job.Attempt));

        lost.SuspendRenewal(false);
        await Eventually.UntilAsync(() => Task.FromResult(lost.LeaseLost.IsCancellationRequested), x => x, "the loser to be told");
        var lateBook = new BookSnapshot("binance", "BTC/USDT", [new(1, 1)], [], null, null, null, start.SweepId, "stalled", DateTimeOffset.UtcNow);
        Assert.False(await stalled.Results.PublishBookAsync(lost, lateBook, default));
        await Assert.ThrowsAsync<LeaseLostException>(() => lost.CompleteAsync(Succeeded(99), default));

        var book = lateBook with { Worker = "healthy", Bids = [new(2, 2)] };
        Assert.True(await healthy.Results.PublishBookAsync(taken, book, default));
        await taken.CompleteAsync(Succeeded(), default);
        var status = await healthy.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.Equal((ExchangeOutcomeKind.Succeeded, "healthy", 2, 1), (status!.Outcomes["binance"].Outcome, status.Outcomes["binance"].Worker, status.Outcomes["binance"].Attempts, status.Succeeded));
        Assert.Equal("healthy", (await healthy.Results.GetBookAsync("binance", "BTC/USDT", default))!.Worker);
        await lost.DisposeAsync();
    }

    [Fact]
    public async Task Writes_after_the_lease_expired_are_refused_even_before_anyone_takes_the_job_over()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default);
        var lease = await client.Queue.ClaimAsync("stalled", Soon());
        lease.SuspendRenewal(true);
        await Task.Delay(TimeSpan.FromMilliseconds(1300));
        var book = new BookSnapshot("binance", "BTC/USDT", [new(1, 1)], [], null, null, null, start.SweepId, "stalled", DateTimeOffset.UtcNow);
        Assert.False(await client.Results.PublishBooksAsync(lease, [book, book with { Symbol = "ETH/USDT" }], default));
        await Assert.ThrowsAsync<LeaseLostException>(() => lease.CompleteAsync(Succeeded(), default));
        Assert.Null(await client.Results.GetBookAsync("binance", "BTC/USDT", default));
        Assert.Null(await client.Results.GetBookAsync("binance", "ETH/USDT", default));
    }

    [Fact]
    public async Task Retryable_failures_retry_with_backoff_then_dead_letter_with_the_reason()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["binance", "kraken"], false, null, null, default);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var lease = await client.Queue.ClaimAsync("w", Soon());
            if (lease.Job.Exchange == "kraken")
            {
                Assert.False(await lease.FailAsync(Failure("AuthenticationError", "bad key"), retryable: false, default));
                lease = await client.Queue.ClaimAsync("w", Soon());
            }

            Assert.Equal(("binance", attempt), (lease.Job.Exchange, lease.Job.Attempt));
            var retried = await lease.FailAsync(Failure("RequestTimeout", $"timeout {attempt}") with { SymbolsOk = 3 }, retryable: true, default);
            Assert.Equal(attempt < 3, retried);
        }

        var status = await client.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.Equal((SweepState.Completed, 2), (status!.State, status.DeadLettered));
        var binance = status.Outcomes["binance"];
        Assert.Equal((ExchangeOutcomeKind.DeadLettered, "RequestTimeout", "timeout 3", 3, 3), (binance.Outcome, binance.ErrorClass, binance.Message, binance.Attempts, binance.SymbolsOk));
        Assert.Equal(("AuthenticationError", 1), (status.Outcomes["kraken"].ErrorClass, status.Outcomes["kraken"].Attempts));
        Assert.Equal(2, await client.Database.ListLengthAsync(Keys.DeadLetters));
        // Their durations are recorded too: an exchange without one is planned first, as possibly the
        // longest, and one that always fails would otherwise go before the longest every sweep.
        var durations = await client.Sweeps.GetLastDurationsAsync(default);
        Assert.Equal(["binance", "kraken"], durations.Keys.Order());
        // Binance's counts from its first attempt: three instant attempts and the two backoffs
        // between them (50 and 100 ms in the test options), so it is not planned among the shortest.
        Assert.InRange(durations["binance"], TimeSpan.FromMilliseconds(50 + 100), TimeSpan.FromMilliseconds(50 + 100 + 10));
        Assert.InRange(durations["kraken"], TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public async Task A_job_whose_lease_lapses_on_its_last_attempt_is_dead_lettered()
    {
        var options = CoordinationClient.TestOptions(Prefix, maxAttempts: 1);
        var crashed = await ConnectAsync(options);
        var other = await ConnectAsync(options);
        var start = await crashed.Sweeps.StartSweepAsync(["binance", "kraken"], false, null, null, default);
        var dead = await crashed.Queue.ClaimAsync("crashed", Soon());
        dead.SuspendRenewal(true);
        await using var next = await other.Queue.ClaimAsync("other", Soon());
        Assert.Equal("kraken", next.Job.Exchange);
        await next.CompleteAsync(Succeeded(), default);

        // Another claimer's check finds the lapsed lease with no attempts left.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => other.Queue.ClaimAsync("other", wait.Token));
        var status = await other.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.Equal((SweepState.Completed, ExchangeOutcomeKind.DeadLettered, "LeaseExpired"), (status!.State, status.Outcomes["binance"].Outcome, status.Outcomes["binance"].ErrorClass));
        await Assert.ThrowsAsync<LeaseLostException>(() => dead.CompleteAsync(Succeeded(), default));
    }

    [Fact]
    public async Task No_more_jobs_than_permits_are_leased_so_the_first_permits_go_with_the_first_jobs()
    {
        // Six claimers for five permits (3 replicas x 2 loops): the sixth must not hold a job,
        // or the job it holds can be the first of the queue while later ones take the permits.
        var client = await ConnectAsync(CoordinationClient.TestOptions(Prefix, cap: 2));
        await client.Sweeps.StartSweepAsync(["kraken", "mexc", "gate"], false, null, null, default);
        var first = await client.Queue.ClaimAsync("a", Soon());
        await using var second = await client.Queue.ClaimAsync("b", Soon());

        var third = client.Queue.ClaimAsync("c", Soon());
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(third.IsCompleted, "a third job was leased with a cap of two permits");
        Assert.Equal(1, await client.Database.ListLengthAsync(Keys.Queue));

        await first.CompleteAsync(Succeeded(), default);
        await using var next = await third;
        Assert.Equal(("kraken", "mexc", "gate"), (first.Job.Exchange, second.Job.Exchange, next.Job.Exchange));
    }

    [Fact]
    public async Task An_abandoned_job_goes_back_to_the_head_with_the_same_attempt()
    {
        var client = await ConnectAsync();
        await client.Sweeps.StartSweepAsync(["binance", "kraken"], false, null, null, default);
        var first = await client.Queue.ClaimAsync("w", Soon());
        await first.AbandonAsync(default);
        await using var again = await client.Queue.ClaimAsync("w2", Soon());
        Assert.Equal(("binance", 1), (again.Job.Exchange, again.Job.Attempt));
    }

    [Fact]
    public async Task A_job_whose_stored_data_was_overwritten_is_still_swept_from_its_id()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["binance", "kraken"], false, null, null, default);
        await client.Database.HashSetAsync(Keys.JobData, CoordinationKeys.JobId(start.SweepId, "binance"), "not json");
        await client.Database.HashSetAsync(Keys.JobData, CoordinationKeys.JobId(start.SweepId, "kraken"),
            $"{{\"v\":1,\"sweepId\":{start.SweepId + 7},\"exchange\":\"okx\",\"attempt\":1,\"enqueuedAt\":0,\"traceParent\":null,\"traceState\":null}}");

        foreach (var expected in new[] { "binance", "kraken" })
        {
            await using var lease = await client.Queue.ClaimAsync("w", Soon());
            Assert.Equal(expected, lease.Job.Exchange);
            Assert.Equal(start.SweepId, lease.Job.SweepId);
            await lease.CompleteAsync(Succeeded(), default);
        }

        var sweep = (await client.Sweeps.GetSweepAsync(start.SweepId, default))!;
        Assert.Equal(SweepState.Completed, sweep.State);
        Assert.Equal(["binance", "kraken"], sweep.Outcomes.Keys.Order());
    }

    [Fact]
    public async Task A_job_of_a_sweep_that_does_not_exist_is_dropped_not_swept()
    {
        var client = await ConnectAsync();
        await client.Database.ListRightPushAsync(Keys.Queue, CoordinationKeys.JobId(424242, "binance"));
        var start = await client.Sweeps.StartSweepAsync(["kraken"], false, null, null, default);

        await using var lease = await client.Queue.ClaimAsync("w", Soon());

        Assert.Equal(("kraken", start.SweepId), (lease.Job.Exchange, lease.Job.SweepId));
        Assert.Equal(0, await client.Database.ListLengthAsync(Keys.Queue));
        Assert.Null(await client.Database.SortedSetScoreAsync(Keys.Leases, CoordinationKeys.JobId(424242, "binance")));
        Assert.False(await client.Database.HashExistsAsync(Keys.Attempts, CoordinationKeys.JobId(424242, "binance")));
        Assert.False(await client.Database.KeyExistsAsync(Keys.SweepOutcomes(424242)));
    }

    [Fact]
    public async Task A_foreign_type_under_the_queue_key_fails_claims_loudly_not_silently()
    {
        var client = await ConnectAsync();
        await client.Database.StringSetAsync(Keys.Queue, "someone else's string");
        await Assert.ThrowsAsync<RedisServerException>(() => client.Queue.ClaimAsync("w", Soon()));
        await Assert.ThrowsAsync<RedisServerException>(() => client.Sweeps.StartSweepAsync(["binance"], false, null, null, default));
        Assert.Null(await client.Sweeps.GetLatestSweepAsync(default));
    }

    [Fact]
    public async Task Connections_cut_mid_sweep_reconnect_and_every_job_still_reaches_one_outcome()
    {
        const int cap = 3;
        var options = CoordinationClient.TestOptions(Prefix, cap, maxAttempts: 10);
        var scheduler = await ConnectAsync(options);
        var victimName = $"victim-{Prefix}";
        var workers = new List<CoordinationClient>();
        for (var i = 0; i < 5; i++)
        {
            workers.Add(await ConnectAsync(options, victimName));
        }

        var exchanges = Enumerable.Range(0, 30).Select(i => $"ex{i:D2}").ToList();
        var observer = new ConcurrencyObserver();
        using var stop = new CancellationTokenSource();
        var running = SweepWorkload.RunWorkersAsync(workers, observer, stop.Token);
        var start = await scheduler.Sweeps.StartSweepAsync(exchanges, false, null, null, default);
        for (var cut = 0; cut < 3; cut++)
        {
            await Task.Delay(100);
            await KillConnectionsAsync(scheduler, victimName);
        }

        var status = await Eventually.UntilAsync(() => scheduler.Sweeps.GetSweepAsync(start.SweepId, default), s => s!.State != SweepState.Running, "the sweep to end");
        await stop.CancelAsync();
        await running;

        Assert.Equal((SweepState.Completed, 30, 30), (status!.State, status.Outcomes.Count, status.Succeeded));
        Assert.InRange(observer.MaxConcurrent, 1, cap);
        Assert.Empty(observer.ExchangesWorkedTwiceAtOnce);
        Assert.Empty(await scheduler.Semaphore.GetHoldersAsync(default));
    }

    private static async Task KillConnectionsAsync(CoordinationClient admin, string clientName)
    {
        var list = (string)(await admin.Database.ExecuteAsync("CLIENT", "LIST"))!;
        var ids = list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains($" name={clientName} ", StringComparison.Ordinal))
            .Select(line => line.Split(' ').First(f => f.StartsWith("id=", StringComparison.Ordinal))[3..])
            .ToList();
        Assert.NotEmpty(ids);
        foreach (var id in ids)
        {
            await admin.Database.ExecuteAsync("CLIENT", "KILL", "ID", id);
        }
    }
}

[Collection(RedisServerCollection.Name)]
public sealed class JobQueueOnRedisServer(RedisServerProcess server) : JobQueueSuite(server);

[Collection(GarnetCollection.Name)]
public sealed class JobQueueOnGarnet(GarnetServer server) : JobQueueSuite(server);
