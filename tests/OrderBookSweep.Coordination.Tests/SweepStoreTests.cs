namespace OrderBookSweep.Coordination.Tests;

/// <summary>Sweeps: start, progress, cancel, reconcile, and the stored format.</summary>
public abstract class SweepStoreSuite(ITestServer server) : CoordinationSuite(server)
{
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
    public async Task Exchanges_not_simulated_are_recorded_once_and_never_queued_nor_dead_lettered()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["kraken"], false, null, null, default, notSimulated: ["coinbase", "cryptocom"]);
        Assert.True(start.Started);
        Assert.Equal(1, await client.Sweeps.GetQueueDepthAsync(default));

        var running = await client.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.Equal((1, 0, 2), (running!.Total, running.Done, running.NotSimulated));
        Assert.Equal(ExchangeOutcomeKind.NotSimulated, running.Outcomes["coinbase"].Outcome);
        Assert.Equal((0, (DateTimeOffset?)null), (running.Outcomes["cryptocom"].Attempts, running.Outcomes["cryptocom"].StartedAt));

        await using (var lease = await client.Queue.ClaimAsync("w", Soon()))
        {
            Assert.Equal("kraken", lease.Job.Exchange);
            await lease.CompleteAsync(Succeeded(), default);
        }

        var done = await client.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.Equal((SweepState.Completed, 1, 1, 0, 2), (done!.State, done.Total, done.Succeeded, done.DeadLettered, done.NotSimulated));
        Assert.Equal(0, await client.Sweeps.GetQueueDepthAsync(default));
        Assert.Equal(0, await client.Database.ListLengthAsync(Keys.DeadLetters));
        Assert.False(await client.Database.HashExistsAsync(Keys.Active, "coinbase"));
        Assert.Equal(["kraken"], (await client.Sweeps.GetLastDurationsAsync(default)).Keys);

        // Listed both ways is a caller's mistake, refused before anything is written.
        await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync(["okx"], false, null, null, default, notSimulated: ["okx"]));
    }

    [Fact]
    public async Task Cancelling_a_sweep_ends_queued_and_running_jobs_cancelled_and_tells_the_running_worker()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["binance", "kraken", "okx"], false, null, null, default);
        var running = await client.Queue.ClaimAsync("w", Soon());
        Assert.True(await client.Sweeps.CancelSweepAsync(start.SweepId, default));
        Assert.False(await client.Sweeps.CancelSweepAsync(start.SweepId, default));

        await Eventually.UntilAsync(() => Task.FromResult(running.LeaseLost.IsCancellationRequested), x => x, "the running worker to be told");
        await Assert.ThrowsAsync<LeaseLostException>(() => running.CompleteAsync(Succeeded(), default));
        var status = await client.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.Equal((SweepState.Cancelled, 3, 0, 0), (status!.State, status.Cancelled, status.Queued, status.Claimed));
        Assert.Equal(0, await client.Sweeps.GetQueueDepthAsync(default));

        // Nothing of the cancelled sweep stays active: a new sweep takes all three.
        var again = await client.Sweeps.StartSweepAsync(["binance", "kraken", "okx"], false, null, null, default);
        Assert.Equal((true, 0), (again.Started, again.Skipped.Count));
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
            """{"v":1,"outcome":"partial","symbolsOk":4,"symbolsFailed":1,"errorsByClass":{"BadSymbol":1},"errorClass":"BadSymbol","message":null,"startedAt":1000,"finishedAt":3000,"attempts":1,"worker":"worker-1","medianSpreadBps":null}""",
            stored);
        Assert.Equal("1", (string?)await client.Database.HashGetAsync(Keys.Sweep(start.SweepId), "partial"));
        Assert.Equal("running", (string?)await client.Database.HashGetAsync(Keys.Sweep(start.SweepId), "state"));

        await client.Database.HashSetAsync(Keys.SweepOutcomes(start.SweepId), "kraken", stored.Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => client.Sweeps.GetSweepAsync(start.SweepId, default));
        Assert.Contains("format version 2", error.Message);

        // A value of another type under the sweep's key (the server's WRONGTYPE, raised inside the read script).
        await client.Database.StringSetAsync(Keys.Sweep(start.SweepId + 1), "not a hash");
        error = await Assert.ThrowsAsync<InvalidDataException>(() => client.Sweeps.GetSweepAsync(start.SweepId + 1, default));
        Assert.Contains(Keys.Sweep(start.SweepId + 1).ToString(), error.Message);
    }
}

[Collection(RedisServerCollection.Name)]
public sealed class SweepStoreOnRedisServer(RedisServerProcess server) : SweepStoreSuite(server);

[Collection(GarnetCollection.Name)]
public sealed class SweepStoreOnGarnet(GarnetServer server) : SweepStoreSuite(server);
