using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Telemetry;

namespace OrderBookSweep.Scheduler.Services;

/// <summary>
/// Starts a sweep: validates and orders the exchanges, then enqueues them in one atomic step.
/// The HTTP API, the dashboard commands and the interval all start sweeps through here.
/// </summary>
public sealed class SweepLauncher(
    SweepStore store,
    ExchangeCatalog catalog,
    IOptionsMonitor<SweepOptions> options,
    ILogger<SweepLauncher> logger)
{
    public async Task<LaunchResult> LaunchAsync(IReadOnlyList<string>? requested, bool force, CancellationToken cancellationToken)
    {
        var exchanges = await catalog.GetProfilesAsync(cancellationToken);
        if (exchanges is null)
        {
            return new LaunchResult.CatalogUnavailable();
        }

        var wanted = requested is { Count: > 0 } ? requested : options.CurrentValue.ExchangeList;
        var durations = await store.GetLastDurationsAsync(cancellationToken);
        var plan = SweepPlanner.Plan(wanted, exchanges, durations);
        if (!plan.IsValid)
        {
            return new LaunchResult.Invalid(plan);
        }

        using var activity = SweepQueueTelemetry.StartPublish(plan.Exchanges.Count);
        var (traceParent, traceState) = SweepQueueTelemetry.CurrentContext();
        var result = await store.StartSweepAsync(plan.Exchanges, force, traceParent, traceState, cancellationToken, plan.NotSimulated);
        activity?.SetTag("sweep.id", result.SweepId);

        if (!result.Started)
        {
            return new LaunchResult.Conflict(result.SweepId);
        }

        logger.LogInformation(
            "Sweep {SweepId} started: {ExchangeCount} exchanges, {SkippedCount} skipped (still in progress), {NotSimulatedCount} not simulated",
            result.SweepId, plan.Exchanges.Count, result.Skipped.Count, plan.NotSimulated.Count);
        return new LaunchResult.Started(result.SweepId, plan.Exchanges.Count, result.Skipped);
    }
}

public abstract record LaunchResult
{
    public sealed record Started(long SweepId, int ExchangeCount, IReadOnlyList<string> Skipped) : LaunchResult;

    public sealed record Conflict(long RunningSweepId) : LaunchResult;

    public sealed record Invalid(SweepPlan Plan) : LaunchResult;

    public sealed record CatalogUnavailable : LaunchResult;
}
