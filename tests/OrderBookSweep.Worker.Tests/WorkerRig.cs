using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.EmbeddedRedis;
using OrderBookSweep.Worker.Sweeping;
using StackExchange.Redis;

namespace OrderBookSweep.Worker.Tests;

/// <summary>One embedded Garnet for the worker tests (each rig uses its own key prefix).</summary>
public sealed class GarnetFixture : IDisposable
{
    public EmbeddedGarnetServer Server { get; } = EmbeddedGarnetServer.Start();

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class GarnetCollection : ICollectionFixture<GarnetFixture>
{
    public const string Name = "garnet";
}

/// <summary>
/// A <see cref="SweepWorker"/> wired as the worker wires it, on real coordination (embedded
/// Garnet, short leases) and a <see cref="ScriptedEngine"/>, plus the scheduler's side to start
/// sweeps and read what the worker recorded.
/// </summary>
public sealed class WorkerRig : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly ServiceProvider _metrics;
    private bool _stopped;

    private WorkerRig(ConnectionMultiplexer redis, ServiceProvider metrics, SweepWorker worker, IOptions<CoordinationOptions> options)
    {
        _redis = redis;
        _metrics = metrics;
        Worker = worker;
        Keys = new CoordinationKeys(options.Value.KeyPrefix);
        Sweeps = new SweepStore(redis, options);
        Results = new ResultStore(redis, options);
        Catalog = new ExchangeCatalog(redis, options);
        Semaphore = new ExchangeSemaphore(redis, options);
    }

    public SweepWorker Worker { get; }

    public CoordinationKeys Keys { get; }

    public SweepStore Sweeps { get; }

    public ResultStore Results { get; }

    public ExchangeCatalog Catalog { get; }

    public ExchangeSemaphore Semaphore { get; }

    public IDatabase Database => _redis.GetDatabase();

    public static async Task<WorkerRig> StartAsync(GarnetFixture garnet, ScriptedEngine engine, WorkerOptions? worker = null, int maxAttempts = 3)
    {
        var coordination = Options.Create(new CoordinationOptions
        {
            KeyPrefix = "w" + Guid.NewGuid().ToString("N")[..12],
            MaxAttempts = maxAttempts,
            LeaseDuration = TimeSpan.FromMilliseconds(1000),
            RenewInterval = TimeSpan.FromMilliseconds(200),
            ClaimWait = TimeSpan.FromMilliseconds(100),
            PermitRecheckInterval = TimeSpan.FromMilliseconds(100),
            RetryBackoff = TimeSpan.FromMilliseconds(50),
            MaxRetryBackoff = TimeSpan.FromMilliseconds(200),
        });
        var workerOptions = Options.Create(worker ?? new WorkerOptions());
        var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Server.ConnectionString);
        var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new WorkerTelemetry(metrics.GetRequiredService<IMeterFactory>());
        var sweep = new ExchangeSweep(engine, workerOptions, telemetry, NullLogger<ExchangeSweep>.Instance);
        var sweepWorker = new SweepWorker(
            engine,
            new ExchangeCatalog(redis, coordination),
            new JobQueue(redis, coordination),
            new ExchangeSemaphore(redis, coordination),
            new ResultStore(redis, coordination),
            sweep,
            telemetry,
            workerOptions,
            NullLogger<SweepWorker>.Instance);
        var rig = new WorkerRig(redis, metrics, sweepWorker, coordination);
        await sweepWorker.StartAsync(CancellationToken.None);
        return rig;
    }

    public async Task<long> StartSweepAsync(params string[] exchanges) =>
        (await Sweeps.StartSweepAsync(exchanges, force: false, null, null, default)).SweepId;

    public Task<SweepStatus> WaitForSweepAsync(long sweepId) =>
        Eventually.UntilAsync(async () => (await Sweeps.GetSweepAsync(sweepId, default))!, s => s.State != SweepState.Running, $"sweep {sweepId} to end");

    public async Task<SweepStatus> SweepAsync(params string[] exchanges) => await WaitForSweepAsync(await StartSweepAsync(exchanges));

    /// <summary>Waits until the worker holds a permit for <paramref name="exchange"/>: it is working on it.</summary>
    public Task WaitUntilWorkingOnAsync(string exchange) =>
        Eventually.UntilAsync(async () => (await Semaphore.GetHoldersAsync(default)).Any(h => h.Exchange == exchange), $"a permit for {exchange}");

    /// <summary>Host shutdown, as the generic host does it.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await Worker.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        Worker.Dispose();
        await _redis.DisposeAsync();
        await _metrics.DisposeAsync();
    }
}
