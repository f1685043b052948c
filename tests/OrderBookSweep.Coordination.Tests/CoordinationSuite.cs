using System.Diagnostics;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>
/// The behaviour of the coordination library, run once per real server (redis-server and
/// embedded Garnet). Each test uses its own key prefix, so tests never see each other's keys.
/// </summary>
public abstract class CoordinationSuite(ITestServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<CoordinationClient> _clients = [];

    protected string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..12];

    protected CoordinationKeys Keys => new(Prefix);

    protected ITestServer Server => server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    protected async Task<CoordinationClient> ConnectAsync(CoordinationOptions? options = null, string? clientName = null)
    {
        var client = await CoordinationClient.ConnectAsync(server.ConnectionString, options ?? CoordinationClient.TestOptions(Prefix), clientName);
        _clients.Add(client);
        return client;
    }

    /// <summary>A bound on every blocking call, so a broken library fails a test instead of hanging it.</summary>
    protected static CancellationToken Soon() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    protected static ExchangeOutcome Succeeded(int symbols = 1) =>
        ExchangeOutcome.Swept(symbols, new Dictionary<string, int>(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    protected static ExchangeOutcome Failure(string errorClass, string message) =>
        ExchangeOutcome.Failed(errorClass, message, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    protected static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(clock.Elapsed < Patience, $"Timed out waiting for {what}; last value: {value}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_sweep_runs_in_order_to_one_outcome_per_exchange()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["kraken", "binance", "okx"], force: false, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "k=v", default);
        Assert.True(start.Started);
        Assert.Empty(start.Skipped);
        Assert.Equal(3, await client.Sweeps.GetQueueDepthAsync(default));

        var claimed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await using var lease = await client.Queue.ClaimAsync("worker-1", Soon());
            Assert.Equal(start.SweepId, lease.Job.SweepId);
            Assert.Equal(1, lease.Job.Attempt);
            Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", lease.Job.TraceParent);
            Assert.Equal("k=v", lease.Job.TraceState);
            claimed.Add(lease.Job.Exchange);
            var running = await client.Sweeps.GetSweepAsync(start.SweepId, default);
            Assert.Equal((1, 2 - i), (running!.Claimed, running.Queued));
            await lease.CompleteAsync(Succeeded(), default);
        }

        Assert.Equal(["kraken", "binance", "okx"], claimed);
        var status = await client.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.NotNull(status);
        Assert.Equal(SweepState.Completed, status.State);
        Assert.NotNull(status.FinishedAt);
        Assert.Equal((3, 3, 0, 0), (status.Total, status.Succeeded, status.Queued, status.Claimed));
        Assert.All(status.Outcomes.Values, o => Assert.Equal((ExchangeOutcomeKind.Succeeded, 1, "worker-1"), (o.Outcome, o.Attempts, o.Worker)));
        Assert.Equal(start.SweepId, (await client.Sweeps.GetLatestSweepAsync(default))!.SweepId);
        Assert.Equal(["binance", "kraken", "okx"], (await client.Sweeps.GetLastDurationsAsync(default)).Keys.Order());
        Assert.Equal(0, await client.Sweeps.GetQueueDepthAsync(default));
    }

    [Fact]
    public async Task A_running_sweep_refuses_another_unless_forced_and_active_exchanges_are_skipped()
    {
        var client = await ConnectAsync();
        var first = await client.Sweeps.StartSweepAsync(["binance", "kraken"], false, null, null, default);
        var refused = await client.Sweeps.StartSweepAsync(["okx"], false, null, null, default);
        Assert.Equal((false, first.SweepId), (refused.Started, refused.SweepId));

        var forced = await client.Sweeps.StartSweepAsync(["kraken", "okx"], true, null, null, default);
        Assert.True(forced.Started);
        Assert.Equal(["kraken"], forced.Skipped);
        var status = await client.Sweeps.GetSweepAsync(forced.SweepId, default);
        Assert.Equal((1, ExchangeOutcomeKind.Skipped), (status!.Total, status.Outcomes["kraken"].Outcome));

        // Three jobs in all: kraken is never queued twice.
        var exchanges = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var lease = await client.Queue.ClaimAsync("w", Soon());
            exchanges.Add($"{lease.Job.SweepId}:{lease.Job.Exchange}");
            await lease.CompleteAsync(Succeeded(), default);
        }

        Assert.Equal([$"{first.SweepId}:binance", $"{first.SweepId}:kraken", $"{forced.SweepId}:okx"], exchanges.Order());
        Assert.Equal(0, await client.Sweeps.GetQueueDepthAsync(default));
        Assert.Equal(SweepState.Completed, (await client.Sweeps.GetSweepAsync(first.SweepId, default))!.State);
    }

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

        var status = await EventuallyAsync(() => scheduler.Sweeps.GetSweepAsync(start.SweepId, default), s => s!.State != SweepState.Running, "the sweep to end");
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
        Assert.Equal((start.SweepId, 100.5m), (book!.SweepId, book.Bids[0][0]));
    }

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
        await EventuallyAsync(() => Task.FromResult(lost.LeaseLost.IsCancellationRequested), x => x, "the loser to be told");
        var lateBook = new BookSnapshot("binance", "BTC/USDT", [[1m, 1m]], [], null, null, null, start.SweepId, "stalled", DateTimeOffset.UtcNow);
        Assert.False(await stalled.Results.PublishBookAsync(lost, lateBook, default));
        await Assert.ThrowsAsync<LeaseLostException>(() => lost.CompleteAsync(Succeeded(99), default));

        var book = lateBook with { Worker = "healthy", Bids = [[2m, 2m]] };
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
        var book = new BookSnapshot("binance", "BTC/USDT", [[1m, 1m]], [], null, null, null, start.SweepId, "stalled", DateTimeOffset.UtcNow);
        Assert.False(await client.Results.PublishBookAsync(lease, book, default));
        await Assert.ThrowsAsync<LeaseLostException>(() => lease.CompleteAsync(Succeeded(), default));
        Assert.Null(await client.Results.GetBookAsync("binance", "BTC/USDT", default));
    }

    [Fact]
    public async Task A_stalled_permit_holder_loses_its_permit_within_the_lease_and_is_told()
    {
        var options = CoordinationClient.TestOptions(Prefix, cap: 1);
        var stalled = await ConnectAsync(options);
        var waiting = await ConnectAsync(options);
        var held = await stalled.Semaphore.AcquireAsync("stalled", "binance", Soon());
        held.SuspendRenewal(true);
        var holders = await waiting.Semaphore.GetHoldersAsync(default);
        Assert.Equal(("stalled", "binance"), (holders.Single().HolderId, holders.Single().Exchange));

        var clock = Stopwatch.StartNew();
        await using var next = await waiting.Semaphore.AcquireAsync("waiting", "kraken", Soon());
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));

        held.SuspendRenewal(false);
        await EventuallyAsync(() => Task.FromResult(held.LeaseLost.IsCancellationRequested), x => x, "the loser to be told");
        Assert.Equal("waiting", (await waiting.Semaphore.GetHoldersAsync(default)).Single().HolderId);
        // Releasing a lost permit must not free the new holder's.
        await held.DisposeAsync();
        Assert.Equal("waiting", (await waiting.Semaphore.GetHoldersAsync(default)).Single().HolderId);
    }

    [Fact]
    public async Task Waiters_are_served_in_arrival_order()
    {
        var options = CoordinationClient.TestOptions(Prefix, cap: 1);
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
            // Let each waiter register before the next arrives.
            await Task.Delay(60);
        }

        await first.DisposeAsync();
        await Task.WhenAll(waits);
        Assert.Equal(["waiter-0", "waiter-1", "waiter-2", "waiter-3"], order);
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
        Assert.Equal(["binance", "kraken"], (await client.Sweeps.GetLastDurationsAsync(default)).Keys.Order());
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
    public async Task Cancelling_a_sweep_ends_queued_and_running_jobs_cancelled_and_tells_the_running_worker()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["binance", "kraken", "okx"], false, null, null, default);
        var running = await client.Queue.ClaimAsync("w", Soon());
        Assert.True(await client.Sweeps.CancelSweepAsync(start.SweepId, default));
        Assert.False(await client.Sweeps.CancelSweepAsync(start.SweepId, default));

        await EventuallyAsync(() => Task.FromResult(running.LeaseLost.IsCancellationRequested), x => x, "the running worker to be told");
        await Assert.ThrowsAsync<LeaseLostException>(() => running.CompleteAsync(Succeeded(), default));
        var status = await client.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.Equal((SweepState.Cancelled, 3, 0, 0), (status!.State, status.Cancelled, status.Queued, status.Claimed));
        Assert.Equal(0, await client.Sweeps.GetQueueDepthAsync(default));

        // Nothing of the cancelled sweep stays active: a new sweep takes all three.
        var again = await client.Sweeps.StartSweepAsync(["binance", "kraken", "okx"], false, null, null, default);
        Assert.Equal((true, 0), (again.Started, again.Skipped.Count));
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
    public async Task Reconcile_requeues_jobs_that_a_restart_lost()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["binance", "kraken"], false, null, null, default);
        // What a failover that lost the queue looks like: the sweep's records survive, the queue does not.
        await client.Database.KeyDeleteAsync(Keys.Queue);
        Assert.Equal(2, await client.Sweeps.ReconcileAsync(start.SweepId, default));
        Assert.Equal(0, await client.Sweeps.ReconcileAsync(start.SweepId, default));
        await using var lease = await client.Queue.ClaimAsync("w", Soon());
        Assert.Equal(0, await client.Sweeps.ReconcileAsync(start.SweepId, default));
        Assert.Equal("binance", lease.Job.Exchange);
    }

    [Fact]
    public async Task Bad_input_gives_clear_errors_and_damages_nothing()
    {
        var client = await ConnectAsync();
        await client.Catalog.PublishAsync(["binance", "kraken"], default);

        await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync([], false, null, null, default));
        foreach (var bad in new[] { "", " ", "Binance", "a|b", "x y", "quo\"te", new string('a', 65), "-lead" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync(["binance", bad], false, null, null, default));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync(["binance", "binance"], false, null, null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Catalog.PublishAsync(["ok", "NOT OK"], default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Semaphore.AcquireAsync("bad|holder", "binance", Soon()));
        Assert.Null(await client.Sweeps.GetLatestSweepAsync(default));

        var start = await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default);
        await using var lease = await client.Queue.ClaimAsync("w", Soon());
        var huge = Enumerable.Range(0, 40_000).Select(i => new[] { 1000m + i, 1.123456789m }).ToList();
        var oversized = new BookSnapshot("binance", "BTC/USDT", huge, huge, null, null, null, start.SweepId, "w", DateTimeOffset.UtcNow);
        await Assert.ThrowsAsync<ArgumentException>(() => client.Results.PublishBookAsync(lease, oversized, default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Results.PublishBookAsync(lease, oversized with { Bids = [], Asks = [], Exchange = "kraken" }, default));
        Assert.Null(await client.Results.GetBookAsync("binance", "BTC/USDT", default));

        // A foreign value under one of our keys: a clear error naming the key, others unharmed.
        await client.Database.StringSetAsync(Keys.Book("kraken", "ETH/USDT"), "not json");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => client.Results.GetBookAsync("kraken", "ETH/USDT", default));
        Assert.Contains(Keys.Book("kraken", "ETH/USDT").ToString(), error.Message);
        await client.Database.StringSetAsync(Keys.Catalog, "{\"v\":1,\"exchanges\":42}");
        await Assert.ThrowsAsync<InvalidDataException>(() => client.Catalog.GetAsync(default));

        await lease.CompleteAsync(Succeeded(), default);
        Assert.Equal(SweepState.Completed, (await client.Sweeps.GetSweepAsync(start.SweepId, default))!.State);
    }

    [Fact]
    public async Task A_sweep_stored_in_the_documented_format_reads_with_its_states_and_outcomes()
    {
        // Written by hand as the documented format (format version 1) has it, as an older build left it.
        var client = await ConnectAsync();
        await client.Database.HashSetAsync(Keys.Sweep(77),
        [
            new("v", 1), new("id", 77), new("state", "running"), new("createdAt", 1700000000000), new("total", 3), new("done", 2),
            new("succeeded", 1), new("dead-lettered", 1),
        ]);
        await client.Database.HashSetAsync(Keys.SweepOutcomes(77),
        [
            new("binance", """{"v":1,"outcome":"succeeded","symbolsOk":5,"symbolsFailed":0,"errorsByClass":{},"errorClass":null,"message":null,"startedAt":1700000000000,"finishedAt":1700000001000,"attempts":1,"worker":"worker-1"}"""),
            new("kraken", """{"v":1,"outcome":"dead-lettered","symbolsOk":0,"symbolsFailed":0,"errorsByClass":{"RequestTimeout":1},"errorClass":"RequestTimeout","message":"timeout","startedAt":null,"finishedAt":1700000002000,"attempts":3,"worker":null}"""),
            new("okx", """{"v":1,"outcome":"skipped","symbolsOk":0,"symbolsFailed":0,"errorsByClass":{},"errorClass":null,"message":"already queued or in progress for another sweep","startedAt":null,"finishedAt":1700000000000,"attempts":0,"worker":null}"""),
        ]);

        var sweep = (await client.Sweeps.GetSweepAsync(77, default))!;

        Assert.Equal((SweepState.Running, 3, 1, 1, 1, 0), (sweep.State, sweep.Total, sweep.Succeeded, sweep.DeadLettered, sweep.Queued, sweep.Claimed));
        Assert.Equal(
            (ExchangeOutcomeKind.Succeeded, ExchangeOutcomeKind.DeadLettered, ExchangeOutcomeKind.Skipped),
            (sweep.Outcomes["binance"].Outcome, sweep.Outcomes["kraken"].Outcome, sweep.Outcomes["okx"].Outcome));
        Assert.Equal((3, "RequestTimeout", DateTimeOffset.FromUnixTimeMilliseconds(1700000002000)), (sweep.Outcomes["kraken"].Attempts, sweep.Outcomes["kraken"].ErrorClass, sweep.Outcomes["kraken"].FinishedAt));
    }

    [Fact]
    public async Task Outcomes_are_written_in_the_documented_format_and_an_unknown_version_is_refused()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["binance", "kraken"], false, null, null, default);
        await using (var lease = await client.Queue.ClaimAsync("worker-1", Soon()))
        {
            await lease.CompleteAsync(ExchangeOutcome.Swept(4, new Dictionary<string, int> { ["BadSymbol"] = 1 }, DateTimeOffset.FromUnixTimeMilliseconds(1000), DateTimeOffset.FromUnixTimeMilliseconds(3000)), default);
        }

        var stored = (string)(await client.Database.HashGetAsync(Keys.SweepOutcomes(start.SweepId), "binance"))!;
        Assert.Equal(
            """{"v":1,"outcome":"partial","symbolsOk":4,"symbolsFailed":1,"errorsByClass":{"BadSymbol":1},"errorClass":"BadSymbol","message":null,"startedAt":1000,"finishedAt":3000,"attempts":1,"worker":"worker-1"}""",
            stored);
        Assert.Equal("1", (string?)await client.Database.HashGetAsync(Keys.Sweep(start.SweepId), "partial"));
        Assert.Equal("running", (string?)await client.Database.HashGetAsync(Keys.Sweep(start.SweepId), "state"));

        await client.Database.HashSetAsync(Keys.SweepOutcomes(start.SweepId), "kraken", stored.Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => client.Sweeps.GetSweepAsync(start.SweepId, default));
        Assert.Contains("format version 2", error.Message);
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
    public async Task Books_are_announced_to_subscribers()
    {
        var client = await ConnectAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<BookNotification>();
        var books = await client.Results.SubscribeBooksAsync(stop.Token);
        var reader = Task.Run(async () =>
        {
            await foreach (var n in books)
            {
                received.Add(n);
                if (received.Count == 2)
                {
                    return;
                }
            }
        });
        // Someone else's message on our channel is skipped, not fatal.
        await client.Redis.GetSubscriber().PublishAsync(Keys.Books, "garbage");
        var start = await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default);
        await using var lease = await client.Queue.ClaimAsync("w", Soon());
        foreach (var symbol in new[] { "BTC/USDT", "ETH/USDT" })
        {
            Assert.True(await client.Results.PublishBookAsync(lease, new BookSnapshot("binance", symbol, [[1m, 2m]], [[3m, 4m]], 1700000000000, "2023-11-14T22:13:20.000Z", 7, start.SweepId, "w", DateTimeOffset.UtcNow), default));
        }

        await reader.WaitAsync(stop.Token);
        Assert.Equal(["BTC/USDT", "ETH/USDT"], received.Select(n => n.Symbol));
        Assert.Equal(Keys.Book("binance", "ETH/USDT").ToString(), received[1].Key);
        var ttl = await client.Database.KeyTimeToLiveAsync(received[1].Key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
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

        var status = await EventuallyAsync(() => scheduler.Sweeps.GetSweepAsync(start.SweepId, default), s => s!.State != SweepState.Running, "the sweep to end");
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

public sealed class RedisServerCoordinationTests(RedisServerProcess server) : CoordinationSuite(server), IClassFixture<RedisServerProcess>;

public sealed class GarnetCoordinationTests(GarnetServer server) : CoordinationSuite(server), IClassFixture<GarnetServer>;
