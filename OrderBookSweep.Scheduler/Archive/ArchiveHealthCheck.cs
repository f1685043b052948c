using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>Degraded while the archive folder refuses writes: sweeping goes on, the archive falls behind.</summary>
public sealed class ArchiveHealthCheck(SweepArchiver archiver) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = archiver.Status;
        return Task.FromResult(status switch
        {
            { Error: { } error } => HealthCheckResult.Degraded($"archive refuses writes since {status.ErrorSince:u}: {error}"),
            { LastArchived: { } last } => HealthCheckResult.Healthy(
                last.Complete ? $"sweep {last.SweepId} archived ({last.Books} books)" : $"sweep {last.SweepId} archived incomplete ({last.Books} of {last.ExpectedBooks} books)"),
            _ => HealthCheckResult.Healthy("no sweep archived yet"),
        });
    }
}
