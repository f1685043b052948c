using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using ServiceDefaults = Microsoft.Extensions.Hosting.Extensions;

namespace OrderBookSweep.Scheduler.Services;

/// <summary>
/// Watches the latest sweep: keeps the Redis gauges current (queue depth, permits in use),
/// logs progress, records each sweep's duration when it completes, and re-enqueues the jobs a
/// Redis restart lost of every running sweep, so a restart costs time, not jobs. Its last reading is what the
/// scheduler's health check shows in the dashboard ("sweep 7: 43/104 exchanges, 2 failed, 5 claimed").
/// </summary>
public sealed class SweepMonitor : BackgroundService
{
    private readonly SweepStore _store;
    private readonly ExchangeSemaphore _semaphore;
    private readonly IOptions<SweepOptions> _options;
    private readonly ILogger<SweepMonitor> _logger;
    private readonly Histogram<double> _sweepDuration;
    private long _queueDepth;
    private int _permitsInUse;
    private long? _completedSweepRecorded;

    public SweepMonitor(
        SweepStore store,
        ExchangeSemaphore semaphore,
        IOptions<SweepOptions> options,
        IMeterFactory meterFactory,
        ILogger<SweepMonitor> logger)
    {
        _store = store;
        _semaphore = semaphore;
        _options = options;
        _logger = logger;
        var meter = meterFactory.Create(ServiceDefaults.MeterName);
        _sweepDuration = meter.CreateHistogram<double>("orderbooksweep.sweep.duration", "s", "Time from a sweep's start to its last outcome.");
        meter.CreateObservableGauge("orderbooksweep.queue.depth", () => Interlocked.Read(ref _queueDepth), "{job}", "Jobs waiting in the sweep queue.");
        meter.CreateObservableGauge("orderbooksweep.permits.in_use", () => Volatile.Read(ref _permitsInUse), "{permit}", "Exchanges in progress across the worker pool (the global cap bounds it).");
    }

    /// <summary>The latest reading, or null before the first one succeeded.</summary>
    public SweepReading? Latest { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.MonitorInterval);
        do
        {
            try
            {
                await ReadAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Latest = new SweepReading(null, Error: ex.Message, DateTimeOffset.UtcNow);
                _logger.LogWarning(ex, "Could not read the sweep's progress from Redis");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var sweep = await _store.GetLatestSweepAsync(cancellationToken);
        Interlocked.Exchange(ref _queueDepth, await _store.GetQueueDepthAsync(cancellationToken));
        Volatile.Write(ref _permitsInUse, (await _semaphore.GetHoldersAsync(cancellationToken)).Count);

        foreach (var (sweepId, requeued) in await _store.ReconcileRunningAsync(cancellationToken))
        {
            _logger.LogWarning("Sweep {SweepId}: re-enqueued {Count} jobs that had no outcome and were neither queued nor leased", sweepId, requeued);
        }

        if (sweep is not null && Latest?.Sweep is { } previous
            && (previous.SweepId != sweep.SweepId || previous.Done != sweep.Done || previous.State != sweep.State))
        {
            _logger.LogInformation("{Progress}", Describe(sweep));
        }

        if (sweep is { State: not SweepState.Running, FinishedAt: { } finishedAt } && _completedSweepRecorded != sweep.SweepId)
        {
            _completedSweepRecorded = sweep.SweepId;
            _sweepDuration.Record((finishedAt - sweep.CreatedAt).TotalSeconds, new KeyValuePair<string, object?>("sweep.state", StoredName<SweepState>.Of(sweep.State)));
        }

        Latest = new SweepReading(sweep, Error: null, DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// One line a person reads at a glance: "sweep 7: 43/104 exchanges, 2 failed, 5 claimed", or
    /// once every exchange succeeded "sweep 8: 15/15 succeeded, 89 not simulated (completed)".
    /// </summary>
    public static string Describe(SweepStatus s)
    {
        string text;
        if (s.State != SweepState.Running && s.Total > 0 && s.Succeeded == s.Total)
        {
            text = $"sweep {s.SweepId}: {s.Succeeded}/{s.Total} succeeded";
        }
        else
        {
            text = $"sweep {s.SweepId}: {s.Done}/{s.Total} exchanges, {s.Failed + s.DeadLettered} failed";
            if (s.Partial > 0)
            {
                text += $", {s.Partial} partial";
            }
        }

        if (s.NotSimulated > 0)
        {
            text += $", {s.NotSimulated} not simulated";
        }

        // "claimed": jobs leased by a worker, including those waiting for one of the global permits.
        return s.State == SweepState.Running ? $"{text}, {s.Claimed} claimed" : $"{text} ({StoredName<SweepState>.Of(s.State)})";
    }
}

public sealed record SweepReading(SweepStatus? Sweep, string? Error, DateTimeOffset ReadAt);
