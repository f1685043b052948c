using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Harness;

/// <summary>
/// The whole AppHost (Aspire.Hosting.Testing): Redis, the exchange simulator, worker replicas
/// and the scheduler as real processes, the real ccxt inside each worker, telemetry exported
/// to an <see cref="OtlpSink"/>. Costs about 10 s to start on 2 cores.
/// </summary>
public sealed class SweepSystem : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private SweepSystem(DistributedApplication app, OtlpSink telemetry, string? apiKey)
    {
        App = app;
        Telemetry = telemetry;
        Scheduler = app.CreateHttpClient("scheduler");
        if (apiKey is not null)
        {
            Scheduler.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        Simulator = app.CreateHttpClient("exchange-simulator");
    }

    public DistributedApplication App { get; }

    public OtlpSink Telemetry { get; }

    public HttpClient Scheduler { get; }

    public HttpClient Simulator { get; }

    /// <summary>This system's own archive folder (each sweep id starts at 1 in each system's Redis).</summary>
    public required string ArchivePath { get; init; }

    /// <param name="redisMode">embedded (Garnet in the AppHost) or server (redis-server on PATH).</param>
    /// <param name="simulator">Simulator settings, e.g. ["Faults:kraken:orderbook"] = "429".</param>
    /// <param name="worker">Worker settings (Exchanges:*, Worker:*, Coordination:*).</param>
    /// <param name="apiKey">The scheduler's API key, sent by <see cref="Scheduler"/>; null: the API is open.</param>
    /// <param name="publishedWorker">
    /// A worker executable published as the image runs it (<see cref="PublishedWorker.PublishAsync"/>),
    /// which every replica must then run; null: the JIT-compiled build the AppHost starts.
    /// </param>
    public static async Task<SweepSystem> StartAsync(
        string redisMode = "embedded",
        int workerReplicas = 3,
        IReadOnlyDictionary<string, string>? simulator = null,
        IReadOnlyDictionary<string, string>? worker = null,
        string? apiKey = null,
        string? publishedWorker = null)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var telemetry = await OtlpSink.StartAsync();
        var archivePath = Path.Combine(Path.GetTempPath(), "obs-archive-" + Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--AppHost:Simulate=true",
            $"--Redis:Mode={redisMode}",
            $"--AppHost:WorkerReplicas={workerReplicas}",
            "--Sweep:Interval=0",
            $"--Redis:DataDirectory={Path.Combine(Path.GetTempPath(), "obs-e2e-" + Guid.NewGuid().ToString("N"))}",
            $"--Archive:Path={archivePath}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderBookSweep_AppHost>(
            args, (options, _) => options.DisableDashboard = true, timeout.Token);

        foreach (var name in new[] { "scheduler", "worker", "exchange-simulator" })
        {
            builder.CreateResourceBuilder<ProjectResource>(name)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", telemetry.Endpoint)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "500")
                // Otherwise each service waits 10 s for the exporter when it stops.
                .WithEnvironment("OTEL_EXPORTER_OTLP_TIMEOUT", "1000");
        }

        var sim = builder.CreateResourceBuilder<ProjectResource>("exchange-simulator")
            .WithEnvironment("Simulator__SymbolsPerExchange", "8");
        foreach (var (key, value) in simulator ?? new Dictionary<string, string>())
        {
            sim.WithEnvironment("Simulator__" + key.Replace(":", "__"), value);
        }

        var workers = builder.CreateResourceBuilder<ProjectResource>("worker")
            // Quick retries: the unreachable exchanges go through all their attempts in a test.
            .WithEnvironment("Coordination__RetryBackoff", "00:00:00.200");
        foreach (var (key, value) in worker ?? new Dictionary<string, string>())
        {
            workers.WithEnvironment(key.Replace(":", "__"), value);
        }

        if (publishedWorker is not null)
        {
            // Replaces the build output the AppHost starts (ServiceExecutables), in the folder the image runs it from.
            workers.WithAnnotation(
                new ExecutableAnnotation { Command = publishedWorker, WorkingDirectory = Path.GetDirectoryName(publishedWorker)! },
                ResourceAnnotationMutationBehavior.Replace);
        }

        if (apiKey is not null)
        {
            builder.CreateResourceBuilder<ProjectResource>("scheduler").WithEnvironment("Scheduler__ApiKey", apiKey);
        }

        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(30)));

        var app = await builder.BuildAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("scheduler", timeout.Token);
            var system = new SweepSystem(app, telemetry, apiKey) { ArchivePath = archivePath };
            await system.WaitForCatalogAsync(timeout.Token);
            if (publishedWorker is not null)
            {
                await RequireWorkersRunAsync(app, workerReplicas, publishedWorker, timeout.Token);
            }

            return system;
        }
        catch
        {
            await app.DisposeAsync();
            await telemetry.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Fails unless every worker replica runs <paramref name="executable"/>: figures of the
    /// published worker must not silently come from the JIT-compiled build.
    /// </summary>
    private static async Task RequireWorkersRunAsync(DistributedApplication app, int replicas, string executable, CancellationToken cancellationToken)
    {
        await using var processes = new SystemProcesses(app);
        var workers = await Eventually.UntilAsync(
            () => Task.FromResult(processes.Running("worker")), running => running.Count == replicas, $"{replicas} running worker replicas", cancellationToken: cancellationToken);
        var others = workers
            .Select(w => File.ResolveLinkTarget($"/proc/{w.Pid}/exe", returnFinalTarget: true)?.FullName)
            .Where(path => path != Path.GetFullPath(executable))
            .ToList();
        if (others.Count > 0)
        {
            throw new InvalidOperationException($"{others.Count} of {replicas} worker replicas do not run {executable}: {string.Join(", ", others)}");
        }
    }

    /// <summary>A Redis connection to the system's Redis, for the tests' independent observations.</summary>
    public async Task<StackExchange.Redis.ConnectionMultiplexer> ConnectRedisAsync() =>
        await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
            await App.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("redis has no connection string"));

    public async Task<long> StartSweepAsync(params string[] exchanges)
    {
        using var response = await Scheduler.PostAsJsonAsync("/api/sweeps", new { exchanges });
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/sweeps answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var started = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        return started.GetProperty("sweepId").GetInt64();
    }

    /// <summary>Polls the scheduler's API until the sweep is no longer running.</summary>
    public Task<SweepStatus> WaitForSweepAsync(long sweepId, TimeSpan timeout) =>
        Eventually.UntilAsync(
            async () => (await Scheduler.GetFromJsonAsync<SweepStatus>($"/api/sweeps/{sweepId}", Json))!,
            status => status.State != SweepState.Running,
            $"sweep {sweepId} to end",
            timeout);

    public async Task<JsonElement> SimulatorStatsAsync() =>
        await Simulator.GetFromJsonAsync<JsonElement>("/admin/stats", Json);

    /// <summary>The workers publish ccxt's exchange list at start; sweeps are validated against it.</summary>
    private Task WaitForCatalogAsync(CancellationToken cancellationToken) =>
        Eventually.UntilAsync(
            async () =>
            {
                using var response = await Scheduler.PostAsJsonAsync("/api/sweeps", new { exchanges = new[] { "not_an_exchange" } }, cancellationToken);
                return response.StatusCode == System.Net.HttpStatusCode.BadRequest;
            },
            "the workers to publish ccxt's exchange list",
            StartTimeout,
            cancellationToken,
            interval: TimeSpan.FromMilliseconds(250));

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await App.StopAsync(timeout.Token);
        }
        finally
        {
            await App.DisposeAsync();
            await Telemetry.DisposeAsync();
            if (Directory.Exists(ArchivePath))
            {
                Directory.Delete(ArchivePath, recursive: true);
            }
        }
    }
}
