using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Worker.Exchanges;
using OrderBookSweep.Worker.Sweeping;
using StackExchange.Redis;

namespace OrderBookSweep.Worker.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // No span per Redis command: the job loop's polls would bury the sweep's own traces,
        // whose spans (publish, process, permit wait, fetches) already time the Redis work.
        // Replies are read on the .NET thread pool, not on StackExchange.Redis's own threads: with a
        // publish per book that is one thread hand-off less each (figures: docs/performance.md).
        builder.AddRedisClient("redis",
            redis => redis.DisableTracing = true,
            options => options.SocketManager = SocketManager.ThreadPool);
        builder.Services.AddSweepCoordination(builder.Configuration);
        builder.AddExchangeEngine();

        builder.Services.AddOptions<WorkerOptions>()
            .Bind(builder.Configuration.GetSection(WorkerOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();

        builder.Services.AddSingleton<WorkerTelemetry>();
        builder.Services.AddSingleton<ExchangeSweep>();
        builder.Services.AddHttpClient<ExchangeProfiles>();
        builder.Services.AddHostedService<SweepWorker>();

        // The host must outwait the hand-back deadline, or in-flight exchanges are cut off unrecorded.
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<WorkerOptions>>((host, worker) => host.ShutdownTimeout = worker.Value.ShutdownDeadline + TimeSpan.FromSeconds(5));
    }
}
