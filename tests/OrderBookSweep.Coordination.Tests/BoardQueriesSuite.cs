using Microsoft.Extensions.Options;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>
/// The reads and actions behind the sweep board (history pages, dead letters, the book index),
/// run once per real server like <see cref="CoordinationSuite"/>, each test under its own prefix.
/// </summary>
public abstract class BoardQueriesSuite(ITestServer server) : CoordinationSuite(server)
{
    private CoordinationClient Client { get; set; } = null!;

    private DeadLetterStore DeadLetters => new(Client.Redis, Options.Create(Client.Options));

    private SweepHistory History => new(Client.Redis, Options.Create(Client.Options));

    private BookIndex Index => new(Client.Redis, Options.Create(Client.Options));

    public override async Task InitializeAsync() =>
        Client = await ConnectAsync(CoordinationClient.TestOptions(Prefix, maxAttempts: 2));

    /// <summary>Claims the next job and ends it dead-lettered (a non-retryable failure).</summary>
    private async Task<string> DeadLetterNextAsync(string errorClass)
    {
        await using var lease = await Client.Queue.ClaimAsync("worker-1", Soon());
        Assert.False(await lease.FailAsync(Failure(errorClass, $"{lease.Job.Exchange} <b>failed</b>"), retryable: false, default));
        return lease.Job.Exchange;
    }

    private async Task<SweepJob> CompleteNextAsync()
    {
        await using var lease = await Client.Queue.ClaimAsync("worker-1", Soon());
        await lease.CompleteAsync(Succeeded(), default);
        return lease.Job;
    }

    [Fact]
    public async Task A_requeued_dead_letter_runs_again_in_its_own_sweep_which_completes_anew()
    {
        var start = await Client.Sweeps.StartSweepAsync(["kraken", "binance"], force: false, null, null, default);
        Assert.Equal("kraken", await DeadLetterNextAsync("ExchangeNotAvailable"));
        await CompleteNextAsync();
        Assert.Equal((SweepState.Completed, 1, 1), await StateAsync(start.SweepId));

        var page = await DeadLetters.GetPageAsync(null, 0, 10, default);
        var letter = Assert.Single(page.Items);
        Assert.Equal((start.SweepId, "kraken", "ExchangeNotAvailable", "kraken <b>failed</b>"), (letter.SweepId, letter.Exchange, letter.ErrorClass, letter.Message));
        Assert.Equal(1, page.Classes["ExchangeNotAvailable"]);

        Assert.Equal(RequeueResult.Requeued, await DeadLetters.RequeueAsync(start.SweepId, "kraken", default));
        // Once: the entry left the list with the job going back in.
        Assert.Equal(RequeueResult.NotFound, await DeadLetters.RequeueAsync(start.SweepId, "kraken", default));
        Assert.Empty((await DeadLetters.GetPageAsync(null, 0, 10, default)).Items);
        var reopened = await Client.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.Equal((SweepState.Running, 0, 1, 1, null as DateTimeOffset?), (reopened!.State, reopened.DeadLettered, reopened.Succeeded, reopened.Queued, reopened.FinishedAt));
        Assert.False(reopened.Outcomes.ContainsKey("kraken"));
        // Not current: another sweep may start while the requeued job runs.
        Assert.True((await Client.Sweeps.StartSweepAsync(["okx"], force: false, null, null, default)).Started);

        await using (var again = await Client.Queue.ClaimAsync("worker-2", Soon()))
        {
            Assert.Equal(("kraken", start.SweepId, 1), (again.Job.Exchange, again.Job.SweepId, again.Job.Attempt));
            await again.CompleteAsync(Succeeded(), default);
        }

        var done = await Client.Sweeps.GetSweepAsync(start.SweepId, default);
        Assert.Equal((SweepState.Completed, 2, 0), (done!.State, done.Succeeded, done.DeadLettered));
        Assert.Equal(ExchangeOutcomeKind.Succeeded, done.Outcomes["kraken"].Outcome);
        Assert.True(await Client.Database.KeyTimeToLiveAsync($"{Client.Options.KeyPrefix}:sweep:{start.SweepId}") is { } ttl && ttl > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_requeued_dead_letter_that_a_restart_lost_is_re_enqueued_in_its_older_sweep_beside_the_current_sweeps_jobs()
    {
        var older = await Client.Sweeps.StartSweepAsync(["kraken"], force: false, null, null, default);
        await DeadLetterNextAsync("ExchangeNotAvailable");
        var current = await Client.Sweeps.StartSweepAsync(["okx"], force: false, null, null, default);
        Assert.Equal(RequeueResult.Requeued, await DeadLetters.RequeueAsync(older.SweepId, "kraken", default));
        // What a failover that lost the queue looks like: both sweeps' records survive, their jobs do not.
        await Client.Database.KeyDeleteAsync(Keys.Queue);

        var requeued = await Client.Sweeps.ReconcileRunningAsync(default);

        Assert.Equal([(older.SweepId, 1), (current.SweepId, 1)], requeued.Select(r => (r.Key, r.Value)).Order());
        Assert.Empty(await Client.Sweeps.ReconcileRunningAsync(default));
        var claimed = new[] { await CompleteNextAsync(), await CompleteNextAsync() };

        Assert.Equal([("kraken", older.SweepId), ("okx", current.SweepId)], claimed.Select(j => (j.Exchange, j.SweepId)).Order());
        Assert.Equal(SweepState.Completed, (await Client.Sweeps.GetSweepAsync(older.SweepId, default))!.State);
    }

    [Fact]
    public async Task A_requeue_is_refused_while_the_exchange_is_live_elsewhere_or_its_sweep_is_gone_and_the_letter_stays()
    {
        var first = await Client.Sweeps.StartSweepAsync(["kraken"], force: false, null, null, default);
        await DeadLetterNextAsync("NetworkError");
        var second = await Client.Sweeps.StartSweepAsync(["kraken"], force: false, null, null, default);

        Assert.Equal(RequeueResult.ExchangeBusy, await DeadLetters.RequeueAsync(first.SweepId, "kraken", default));
        Assert.Single((await DeadLetters.GetPageAsync(null, 0, 10, default)).Items);

        await CompleteNextAsync();
        Assert.Equal(SweepState.Completed, (await Client.Sweeps.GetSweepAsync(second.SweepId, default))!.State);
        await Client.Database.KeyDeleteAsync($"{Client.Options.KeyPrefix}:sweep:{first.SweepId}");
        Assert.Equal(RequeueResult.SweepGone, await DeadLetters.RequeueAsync(first.SweepId, "kraken", default));
        Assert.Single((await DeadLetters.GetPageAsync(null, 0, 10, default)).Items);
        Assert.Equal(0, await Client.Sweeps.GetQueueDepthAsync(default));

        Assert.True(await DeadLetters.DiscardAsync(first.SweepId, "kraken", default));
        Assert.False(await DeadLetters.DiscardAsync(first.SweepId, "kraken", default));
        Assert.Empty((await DeadLetters.GetPageAsync(null, 0, 10, default)).Items);
    }

    [Fact]
    public async Task Requeueing_a_class_requeues_its_letters_only_and_pages_filter_by_class()
    {
        var start = await Client.Sweeps.StartSweepAsync(["a1", "b1", "a2"], force: false, null, null, default);
        await DeadLetterNextAsync("RequestTimeout");
        await DeadLetterNextAsync("ExchangeError");
        await DeadLetterNextAsync("RequestTimeout");

        var timeouts = await DeadLetters.GetPageAsync("RequestTimeout", 0, 1, default);
        Assert.Equal((2, "a2"), (timeouts.Total, Assert.Single(timeouts.Items).Exchange));
        Assert.Equal("a1", Assert.Single((await DeadLetters.GetPageAsync("RequestTimeout", 1, 1, default)).Items).Exchange);

        var attempts = await DeadLetters.RequeueClassAsync("RequestTimeout", default);
        Assert.Equal(["a1", "a2"], attempts.Where(a => a.Result == RequeueResult.Requeued).Select(a => a.Exchange).Order());
        var left = Assert.Single((await DeadLetters.GetPageAsync(null, 0, 10, default)).Items);
        Assert.Equal(("b1", start.SweepId), (left.Exchange, left.SweepId));
        Assert.Equal(2, await Client.Sweeps.GetQueueDepthAsync(default));
    }

    [Fact]
    public async Task The_history_pages_newest_first_over_gaps_left_by_refused_starts()
    {
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Client.Sweeps.StartSweepAsync([$"x{i}"], force: true, null, null, default)).SweepId);
            // A refused start takes a sweep id too, which the history passes over.
            Assert.False((await Client.Sweeps.StartSweepAsync(["y"], force: false, null, null, default)).Started);
        }

        var first = await History.GetPageAsync(null, 2, default);
        Assert.Equal([ids[2], ids[1]], first.Items.Select(s => s.SweepId));
        Assert.All(first.Items, s => Assert.Equal((SweepState.Running, 1, 0), (s.State, s.Total, s.Done)));
        var second = await History.GetPageAsync(first.NextBefore, 2, default);
        Assert.Equal([ids[0]], second.Items.Select(s => s.SweepId));
        Assert.Null(second.NextBefore);
    }

    [Fact]
    public async Task Books_are_found_by_exchange_and_symbol_through_the_writers_index()
    {
        var start = await Client.Sweeps.StartSweepAsync(["binance", "okx"], force: false, null, null, default);
        foreach (var symbols in new[] { new[] { "BTC/USDT", "ETH/USDT", "<script>x</script>/USDT" }, ["BTC/USDT"] })
        {
            await using var lease = await Client.Queue.ClaimAsync("worker-1", Soon());
            foreach (var symbol in symbols)
            {
                var book = new BookSnapshot(lease.Job.Exchange, symbol, [new(1, 1)], [new(2, 1)], null, null, null, start.SweepId, "worker-1", DateTimeOffset.UtcNow);
                Assert.True(await Client.Results.PublishBookAsync(lease, book, default));
            }

            await lease.CompleteAsync(Succeeded(), default);
        }

        // The index is written fire-and-forget: a read on the same connection comes after it.
        Assert.Equal([("binance", 3), ("okx", 1)], (await Index.GetExchangesAsync(default)).Select(e => (e.Exchange, e.Books)));
        var search = await Index.GetSymbolsAsync("binance", "usdt", 2, default);
        Assert.Equal(3, search.Total);
        Assert.Equal(["<script>x</script>/USDT", "BTC/USDT"], search.Symbols);
        Assert.Equal(["ETH/USDT"], (await Index.GetSymbolsAsync("binance", "eth", 10, default)).Symbols);
        Assert.Empty((await Index.GetSymbolsAsync("kraken", null, 10, default)).Symbols);
    }

    private async Task<(SweepState State, int Succeeded, int DeadLettered)> StateAsync(long sweepId)
    {
        var status = await Client.Sweeps.GetSweepAsync(sweepId, default);
        return (status!.State, status.Succeeded, status.DeadLettered);
    }
}

[Collection(RedisServerCollection.Name)]
public sealed class RedisServerBoardQueriesTests(RedisServerProcess server) : BoardQueriesSuite(server);

[Collection(GarnetCollection.Name)]
public sealed class GarnetBoardQueriesTests(GarnetServer server) : BoardQueriesSuite(server);
