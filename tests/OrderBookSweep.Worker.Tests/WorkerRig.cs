using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;
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
    private readonly ServiceProvider _metrics;
    private bool _stopped;

    private WorkerRig(CoordinationClient client, ServiceProvider metrics, SweepWorker worker)
    {
        Client = client;
        _metrics = metrics;
        Worker = worker;
        Keys = new CoordinationKeys(client.Options.KeyPrefix);
    }

    public SweepWorker Worker { get; }

    /// <summary>The scheduler's side, and the same connection the worker uses.</summary>
    public CoordinationClient Client { get; }

    public CoordinationKeys Keys { get; }

    public SweepStore Sweeps => Client.Sweeps;

    public ResultStore Results => Client.Results;

    public ExchangeCatalog Catalog => Client.Catalog;

    public ExchangeSemaphore Semaphore => Client.Semaphore;

    public IDatabase Database => Client.Database;

    /// <param name="lease">Job and permit leases (renewed five times per lease); default the short test ones.</param>
    public static async Task<WorkerRig> StartAsync(
        GarnetFixture garnet, ScriptedEngine engine, WorkerOptions? worker = null, int maxAttempts = 3, TimeSpan? lease = null, MetricsOptions? metrics = null)
    {
        var options = CoordinationClient.TestOptions("w" + Guid.NewGuid().ToString("N")[..12], maxAttempts: maxAttempts);
        if (lease is { } duration)
        {
            options.LeaseDuration = duration;
            options.RenewInterval = duration / 5;
        }

        var client = await CoordinationClient.ConnectAsync(garnet.Server.ConnectionString, options);
        var workerOptions = Options.Create(worker ?? new WorkerOptions());
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new WorkerTelemetry(meters.GetRequiredService<IMeterFactory>());
        var sweep = new ExchangeSweep(engine, workerOptions, telemetry, NullLogger<ExchangeSweep>.Instance);
        var profiles = new ExchangeProfiles(engine, new HttpClient(), Options.Create(new Exchanges.ExchangeOptions()), NullLogger<ExchangeProfiles>.Instance);
        var sweepWorker = new SweepWorker(
            profiles, client.Catalog, client.Queue, client.Semaphore, client.Results, sweep, telemetry, MetricBands.Default,
            Options.Create(metrics ?? new MetricsOptions()), workerOptions, NullLogger<SweepWorker>.Instance);
        var rig = new WorkerRig(client, meters, sweepWorker);
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
        await Client.DisposeAsync();
        await _metrics.DisposeAsync();
    }
}
