using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Cross-cutting concerns every OrderBookSweep service shares: OpenTelemetry, health checks,
/// service discovery and resilience for HttpClients. The shape of the Aspire template.
/// </summary>
public static class Extensions
{
    /// <summary>Readiness: every registered check (Redis, the ccxt engine, ...).</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness: only checks tagged "live" (the process answers).</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>ActivitySources named "OrderBookSweep.*" are exported by every service.</summary>
    public const string ActivitySourcePrefix = "OrderBookSweep";

    /// <summary>The one Meter every service records into (instruments listed in docs/observability.md).</summary>
    public const string MeterName = "OrderBookSweep";

    /// <summary>The log categories under which ASP.NET Core logs each request's start and end.</summary>
    private const string AspNetCoreLogCategory = "Microsoft.AspNetCore";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // ASP.NET Core logs every request at Information, and the probes come every few seconds on
        // every replica: they would bury the services' own logs. Requests other than probes are
        // traced instead. A service's configuration may still set its own level.
        if (builder.Configuration[$"Logging:LogLevel:{AspNetCoreLogCategory}"] is null)
        {
            builder.Logging.AddFilter(AspNetCoreLogCategory, LogLevel.Warning);
        }

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MeterName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource($"{ActivitySourcePrefix}.*")
                // Probes run every few seconds: keep them out of the traces.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        // Export only where an OTLP endpoint is configured (the AppHost sets it for the dashboard).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps /health and /alive in every environment: Kubernetes probes and the AppHost's
    /// WaitFor both need them. They reveal only Healthy/Degraded/Unhealthy, and are left out of
    /// the request metrics, which would otherwise be mostly probes.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath).DisableHttpMetrics();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
        }).DisableHttpMetrics();
        return app;
    }

    /// <summary>A probe: a request under /health (including a service's own /health/...) or /alive.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);
}
