using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderBookSweep.AppHost;

/// <summary>
/// Shows the sweep's progress in the dashboard, next to the scheduler's health: the description
/// of this check is the scheduler's one-line summary ("sweep 7: 43/104 exchanges, 2 failed").
/// Healthy whenever the scheduler answers; its own /health check says whether it is well.
/// </summary>
internal sealed class SweepProgressCheck(EndpointReference scheduler, IHttpClientFactory httpClientFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var http = httpClientFactory.CreateClient(nameof(SweepProgressCheck));
            var summary = await http.GetStringAsync(new Uri(new Uri(scheduler.Url), "/api/sweeps/latest/summary"), cancellationToken);
            return HealthCheckResult.Healthy(summary);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy("the scheduler does not answer", ex);
        }
    }

    public static IResourceBuilder<ProjectResource> AddTo(IResourceBuilder<ProjectResource> scheduler)
    {
        var name = $"{scheduler.Resource.Name}_sweep_progress";
        var endpoint = scheduler.GetEndpoint("http");
        scheduler.ApplicationBuilder.Services.AddHttpClient(nameof(SweepProgressCheck), c => c.Timeout = TimeSpan.FromSeconds(5));
        scheduler.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            name, sp => new SweepProgressCheck(endpoint, sp.GetRequiredService<IHttpClientFactory>()), failureStatus: null, tags: null));
        return scheduler.WithHealthCheck(name);
    }
}
