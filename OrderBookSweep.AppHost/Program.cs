using OrderBookSweep.AppHost;
using OrderBookSweep.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args).ReadRenamedSettings(); // old keys still work, with a warning
var settings = AppHostSettings.From(builder.Configuration);

// Infrastructure
var redis = builder.AddSweepRedis("redis", settings.RedisMode);

// Exchanges: the simulator stands in for the real ones offline (run mode only, never deployed)
var simulator = settings.Simulate && builder.ExecutionContext.IsRunMode
    ? builder.AddProject<Projects.OrderBookSweep_ExchangeSimulator>("exchange-simulator")
        .StartedFromBuildOutput()
        .WithUnproxiedHttpEndpoint()
        .WithSettingsSection("Simulator")
        .WithHttpHealthCheck("/health")
    : null;

// Services
var worker = builder.AddProject<Projects.OrderBookSweep_Worker>("worker")
    .StartedFromBuildOutput()
    .WithReplicas(settings.WorkerReplicas)
    .WithRedis(redis)
    .WithSettingsSection("Coordination")
    .WithExchangeRedirect(settings, simulator)
    .WithHttpHealthCheck("/health");

var scheduler = builder.AddProject<Projects.OrderBookSweep_Scheduler>("scheduler")
    .StartedFromBuildOutput()
    .WithRedis(redis)
    .WithSettingsSection("Coordination")
    .WithSettingsSection("Sweep")
    .WithArchiveFolder()
    .WithHttpHealthCheck("/health")
    .WithSweepCommands()
    .WithSweepBoardLink();

// Dashboard: the latest sweep's progress as a row of its own (run mode only)
if (builder.ExecutionContext.IsRunMode)
{
    builder.AddSweepProgress("sweep", scheduler);
}

// Deployment (publish mode only): aspirate reads the manifest; `dotnet run` keeps the API open on loopback.
// The worker's replica count is not in the manifest: deploy/ sets it.
if (builder.ExecutionContext.IsPublishMode)
{
    worker.PublishAsDockerImage("OrderBookSweep.Worker/Dockerfile").PublishHttpOnly(); // .NET + Node + the pinned ccxt
    scheduler.PublishHttpOnly().WithApiKey(builder.AddParameter(PublishExtensions.ApiKeyConnectionName, secret: true));
}

builder.Build().Run();
