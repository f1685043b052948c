using OrderBookSweep.Coordination;
using OrderBookSweep.Scheduler.Services;

namespace OrderBookSweep.Scheduler.Extensions;

public static class Extensions
{
    /// <summary>A sweep request is a list of ids: anything larger is not one.</summary>
    private const long MaxRequestBodyBytes = 64 * 1024;

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // No span per Redis command: the job loop's polls would bury the sweep's own traces,
        // whose spans (publish, process, permit wait, fetches) already time the Redis work.
        builder.AddRedisClient("redis", redis => redis.DisableTracing = true);
        builder.Services.AddSweepCoordination(builder.Configuration);
        builder.AddApiDocuments();

        builder.Services.AddOptions<SweepOptions>()
            .Bind(builder.Configuration.GetSection(SweepOptions.SectionName))
            .Configure<IConfiguration>(SweepOptions.ReadIntervalInSeconds)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ApiKeyOptions>()
            .Bind(builder.Configuration.GetSection(ApiKeyOptions.SectionName))
            .Configure(options =>
            {
                // A Kubernetes deployment passes the key as a connection string: aspirate keeps only those in Secrets.
                if (string.IsNullOrEmpty(options.ApiKey))
                {
                    options.ApiKey = builder.Configuration.GetConnectionString(ApiKeyOptions.ConnectionName);
                }
            });

        builder.Services.AddSingleton<SweepLauncher>();
        builder.Services.AddSingleton<IntervalSweeps>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IntervalSweeps>());
        builder.Services.AddSingleton<SweepMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SweepMonitor>());
        builder.Services.AddHealthChecks().AddCheck<SweepProgressHealthCheck>("sweep");
        builder.AddSweepArchive();

        // States and results by name in every answer, as they are documented.
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // What could not be read (malformed JSON, a wrong type) tells the client what to fix.
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Detail = bad.Message;
            }

            // Foreign data under the service's keys, met by any endpoint, is the operator's to fix:
            // say so, without echoing what is stored; the logged exception says where.
            if (context.Exception is { } exception && UnreadableData.Is(exception))
            {
                context.ProblemDetails.Title = "Unreadable data in Redis";
                context.ProblemDetails.Detail =
                    "A Redis key this service owns holds data it did not write; the scheduler's log has the error.";
            }
        });
        // A body the endpoint cannot bind is the client's error (400, 413, 415), not a server error.
        builder.Services.Configure<ExceptionHandlerOptions>(options => options.StatusCodeSelector = exception =>
            exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
    }
}
