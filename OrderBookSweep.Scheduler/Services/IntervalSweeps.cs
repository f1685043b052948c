using Microsoft.Extensions.Options;

namespace OrderBookSweep.Scheduler.Services;

/// <summary>
/// Starts a sweep every <see cref="SweepOptions.Interval"/> unless paused (a dashboard command).
/// A tick that finds a sweep still running lets it finish: interval sweeps are never forced.
/// </summary>
public sealed class IntervalSweeps(
    SweepLauncher launcher,
    IOptions<SweepOptions> options,
    ILogger<IntervalSweeps> logger) : BackgroundService
{
    private static readonly TimeSpan CatalogRetryDelay = TimeSpan.FromSeconds(2);

    private volatile bool _paused;
    private long _nextSweepAtMs;

    public bool IsPaused => _paused;

    /// <summary>When the next interval sweep is due; null when sweeps run on demand only or the schedule is paused.</summary>
    public DateTimeOffset? NextSweepAt =>
        !_paused && Interlocked.Read(ref _nextSweepAtMs) is > 0 and var ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public void Pause() => _paused = true;

    public void Resume() => _paused = false;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        if (interval == TimeSpan.Zero)
        {
            logger.LogInformation("Sweep:Interval is 0: sweeps start on demand only");
            return;
        }

        using var timer = new PeriodicTimer(interval);
        do
        {
            if (!_paused && await TryLaunchAsync(stoppingToken) is LaunchResult.CatalogUnavailable)
            {
                // No worker has published ccxt's exchange list yet (they are still starting).
                await Task.Delay(CatalogRetryDelay, stoppingToken);
                continue;
            }

            Interlocked.Exchange(ref _nextSweepAtMs, (DateTimeOffset.UtcNow + interval).ToUnixTimeMilliseconds());
            await timer.WaitForNextTickAsync(stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested);
    }

    private async Task<LaunchResult?> TryLaunchAsync(CancellationToken stoppingToken)
    {
        try
        {
            var result = await launcher.LaunchAsync(requested: null, force: false, stoppingToken);
            if (result is not LaunchResult.Started)
            {
                logger.LogInformation("Interval sweep not started: {Result}", result);
            }

            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Redis unreachable, for example: the next tick tries again; health shows it meanwhile.
            logger.LogWarning(ex, "Interval sweep could not start");
            return null;
        }
    }
}
