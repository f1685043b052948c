using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>
/// Every public call of each store returns once its token is cancelled, even while the server
/// answers nothing. StackExchange.Redis takes no token, so a call that ignored its token would wait
/// for the server or for the client's own timeout. Each test stalls the server, starts every call
/// of one store (so each has sent its first command), cancels, and checks that each call ended
/// cancelled while a PING sent before them was still unanswered: within the stall, not after it.
/// </summary>
public abstract class CancellationSuite(ITestServer server) : CoordinationSuite(server)
{
    /// <summary>
    /// How long a stall lasts at most: longer than every call needs to return once cancelled, and
    /// well under the client's 5 s command timeout, so that the commands held back during the stall
    /// are answered after it rather than time out (which would fail the wait for the server's answer).
    /// </summary>
    protected static readonly TimeSpan StallLength = TimeSpan.FromSeconds(3);

    private CoordinationClient Client { get; set; } = null!;

    public override async Task InitializeAsync()
    {
        var options = CoordinationClient.TestOptions(Prefix);
        // Long leases: a lease that lapsed during the stall would test the lapse, not the cancellation.
        options.LeaseDuration = TimeSpan.FromSeconds(30);
        options.RenewInterval = TimeSpan.FromSeconds(10);
        Client = await ConnectAsync(options);
    }

    /// <summary>Stops the server answering <see cref="Client"/> for at most <see cref="StallLength"/>; disposing waits until it answers again.</summary>
    protected abstract Task<IAsyncDisposable> StallAsync(IConnectionMultiplexer redis);

    private IOptions<CoordinationOptions> Options => Microsoft.Extensions.Options.Options.Create(Client.Options);

    [Fact]
    public async Task SweepStore_calls_return_when_cancelled_while_the_server_is_stalled()
    {
        var sweep = await Client.Sweeps.StartSweepAsync(["binance"], force: false, null, null, Soon());
        var store = Client.Sweeps;
        await AssertCancelledWhileStalledAsync(
            ("StartSweepAsync", ct => store.StartSweepAsync(["kraken"], force: true, null, null, ct)),
            ("GetSweepAsync", ct => store.GetSweepAsync(sweep.SweepId, ct)),
            ("GetLatestSweepAsync", ct => store.GetLatestSweepAsync(ct)),
            ("CancelSweepAsync", ct => store.CancelSweepAsync(sweep.SweepId, ct)),
            ("GetLastDurationsAsync", ct => store.GetLastDurationsAsync(ct)),
            ("ReconcileAsync", ct => store.ReconcileAsync(sweep.SweepId, ct)),
            ("ReconcileRunningAsync", ct => store.ReconcileRunningAsync(ct)),
            ("GetQueueDepthAsync", ct => store.GetQueueDepthAsync(ct)));
    }

    [Fact]
    public async Task JobQueue_and_JobLease_calls_return_when_cancelled_while_the_server_is_stalled()
    {
        await Client.Sweeps.StartSweepAsync(["binance", "kraken", "okx"], force: false, null, null, Soon());
        await using var completed = await Client.Queue.ClaimAsync("worker-1", Soon());
        await using var failed = await Client.Queue.ClaimAsync("worker-1", Soon());
        await using var abandoned = await Client.Queue.ClaimAsync("worker-1", Soon());
        await AssertCancelledWhileStalledAsync(
            ("JobQueue.ClaimAsync", ct => Client.Queue.ClaimAsync("worker-2", ct)),
            ("JobLease.CompleteAsync", ct => completed.CompleteAsync(Succeeded(), ct)),
            ("JobLease.FailAsync", ct => failed.FailAsync(Failure("NetworkError", "down"), retryable: true, ct)),
            ("JobLease.AbandonAsync", ct => abandoned.AbandonAsync(ct)));
    }

    [Fact]
    public async Task ResultStore_calls_return_when_cancelled_while_the_server_is_stalled()
    {
        var sweep = await Client.Sweeps.StartSweepAsync(["binance"], force: false, null, null, Soon());
        await using var lease = await Client.Queue.ClaimAsync("worker-1", Soon());
        var book = new BookSnapshot("binance", "BTC/USDT", [], [], null, null, null, sweep.SweepId, "worker-1", DateTimeOffset.UtcNow);
        await AssertCancelledWhileStalledAsync(
            ("PublishBooksAsync", ct => Client.Results.PublishBooksAsync(lease, [book], ct)),
            ("GetBookAsync", ct => Client.Results.GetBookAsync("binance", "BTC/USDT", ct)),
            ("SubscribeBooksAsync", ct => Client.Results.SubscribeBooksAsync(ct)));
    }

    [Fact]
    public async Task BookIndex_calls_return_when_cancelled_while_the_server_is_stalled()
    {
        var index = new BookIndex(Client.Redis, Options);
        await AssertCancelledWhileStalledAsync(
            ("GetExchangesAsync", ct => index.GetExchangesAsync(ct)),
            ("GetSymbolsAsync", ct => index.GetSymbolsAsync("binance", null, 10, ct)));
    }

    [Fact]
    public async Task DeadLetterStore_calls_return_when_cancelled_while_the_server_is_stalled()
    {
        var deadLetters = new DeadLetterStore(Client.Redis, Options);
        await AssertCancelledWhileStalledAsync(
            ("GetPageAsync", ct => deadLetters.GetPageAsync(null, 0, 10, ct)),
            ("RequeueAsync", ct => deadLetters.RequeueAsync(1, "binance", ct)),
            ("RequeueClassAsync", ct => deadLetters.RequeueClassAsync("NetworkError", ct)),
            ("DiscardAsync", ct => deadLetters.DiscardAsync(1, "binance", ct)));
    }

    [Fact]
    public async Task ExchangeSemaphore_and_QueueOverview_calls_return_when_cancelled_while_the_server_is_stalled()
    {
        var overview = new QueueOverview(Client.Redis, Options, Client.Semaphore);
        await AssertCancelledWhileStalledAsync(
            ("ExchangeSemaphore.AcquireAsync", ct => Client.Semaphore.AcquireAsync("worker-1", "binance", ct)),
            ("ExchangeSemaphore.GetHoldersAsync", ct => Client.Semaphore.GetHoldersAsync(ct)),
            ("QueueOverview.GetAsync", ct => overview.GetAsync(ct)));
    }

    [Fact]
    public async Task ExchangeCatalog_and_SweepHistory_calls_return_when_cancelled_while_the_server_is_stalled()
    {
        var history = new SweepHistory(Client.Redis, Options);
        await AssertCancelledWhileStalledAsync(
            ("ExchangeCatalog.PublishAsync", ct => Client.Catalog.PublishAsync(CoordinationClient.DirectProfiles("binance"), ct)),
            ("ExchangeCatalog.GetAsync", ct => Client.Catalog.GetAsync(ct)),
            ("SweepHistory.GetPageAsync", ct => history.GetPageAsync(null, 10, ct)));
    }

    private async Task AssertCancelledWhileStalledAsync(params (string Call, Func<CancellationToken, Task> Run)[] calls)
    {
        await using (await StallAsync(Client.Redis))
        {
            var ping = Client.Database.PingAsync();
            using var cancel = new CancellationTokenSource();
            // Started directly, not on the thread pool: each has sent its first command before the cancel.
            var running = calls.Select(c => (c.Call, Task: c.Run(cancel.Token))).ToArray();
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            await cancel.CancelAsync();
            foreach (var (call, task) in running)
            {
                var error = await Record.ExceptionAsync(() => task.WaitAsync(StallLength));
                Assert.True(error is OperationCanceledException, $"{call} ended with {error?.GetType().Name ?? "a result"}, not cancelled.");
            }

            Assert.False(ping.IsCompleted, "The server answered before the calls returned: they were not shown to return during the stall.");
        }
    }
}

[Collection(RedisServerCollection.Name)]
public sealed class CancellationOnRedisServer(RedisServerProcess server) : CancellationSuite(server)
{
    /// <summary>
    /// CLIENT PAUSE ALL: redis-server holds every client's commands back. It ends on its own: Redis
    /// 7.0 holds CLIENT UNPAUSE back too (measured), so the stall is waited out.
    /// </summary>
    protected override async Task<IAsyncDisposable> StallAsync(IConnectionMultiplexer redis)
    {
        var endpoint = redis.GetEndPoints().Single();
        await redis.GetServer(endpoint).ExecuteAsync("CLIENT", "PAUSE", (long)StallLength.TotalMilliseconds, "ALL");
        return new StallEnd(() => redis.GetDatabase().PingAsync());
    }
}

/// <summary>Ends a stall: waits until the server answers again.</summary>
internal sealed class StallEnd(Func<Task> answered) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await answered();
}

/// <summary>
/// Garnet (2.2.8) has no CLIENT PAUSE ("ERR unknown subcommand 'PAUSE'"), so the client reaches it
/// through a <see cref="StallingRelay"/>, which stops passing the client's bytes on: the server gets
/// no command and the client no answer, as from a stalled server.
/// </summary>
[Collection(GarnetCollection.Name)]
public sealed class CancellationOnGarnet : CancellationSuite, IDisposable
{
    private readonly StallingRelay _relay;

    public CancellationOnGarnet(GarnetServer server)
        : this(new StallingRelay(server))
    {
    }

    private CancellationOnGarnet(StallingRelay relay)
        : base(relay) => _relay = relay;

    protected override Task<IAsyncDisposable> StallAsync(IConnectionMultiplexer redis)
    {
        _relay.Hold();
        return Task.FromResult<IAsyncDisposable>(new StallEnd(() =>
        {
            _relay.Release();
            return redis.GetDatabase().PingAsync();
        }));
    }

    public void Dispose() => _relay.Dispose();
}
