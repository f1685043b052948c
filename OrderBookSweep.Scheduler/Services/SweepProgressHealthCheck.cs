using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderBookSweep.Scheduler.Services;

/// <summary>
/// Reports the sweep's progress through health, so the dashboard shows it next to the
/// resource: Healthy with "sweep 7: 43/104 exchanges, 2 failed"; Unhealthy while Redis cannot
/// be read.
/// </summary>
public sealed class SweepProgressHealthCheck(SweepMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(monitor.Latest switch
        {
            null => HealthCheckResult.Healthy("no reading yet"),
            { Error: { } error } => HealthCheckResult.Unhealthy($"cannot read sweep progress: {error}"),
            { Sweep: null } => HealthCheckResult.Healthy("no sweep yet"),
            { Sweep: { } sweep } => HealthCheckResult.Healthy(SweepMonitor.Describe(sweep)),
        });
}
