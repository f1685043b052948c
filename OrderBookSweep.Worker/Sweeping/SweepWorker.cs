using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;
using OrderBookSweep.Coordination.Telemetry;
using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Worker.Sweeping;

/// <summary>
/// The worker's job loop, <see cref="WorkerOptions.Concurrency"/> times over: claim a job, take
/// one of the global permits, sweep the exchange, publish each book as it arrives, record the
/// outcome, release the permit, acknowledge the job.
/// </summary>
/// <remarks>
/// On shutdown it stops claiming at once; an exchange in progress runs on for
/// <see cref="WorkerOptions.ShutdownDeadline"/> and is then handed back to the queue, so a
/// rolling restart costs a redo, never a job.
/// </remarks>
public sealed partial class SweepWorker(
    ExchangeProfiles profiles,
    ExchangeCatalog catalog,
    JobQueue queue,
    ExchangeSemaphore semaphore,
    ResultStore results,
    ExchangeSweep sweep,
    WorkerTelemetry telemetry,
    MetricBands metricBands,
    IOptions<MetricsOptions> metricsOptions,
    IOptions<WorkerOptions> options,
    ILogger<SweepWorker> logger) : BackgroundService
{
    /// <summary>Pause before trying Redis (or the engine) again after a failure.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Names this replica in permits, leases and outcomes.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PublishCatalogAsync(stoppingToken);

        // Fires ShutdownDeadline after shutdown began: work still running then is handed back.
        using var deadline = new CancellationTokenSource();
        using var onStop = stoppingToken.Register(() => deadline.CancelAfter(options.Value.ShutdownDeadline));

        var loops = Enumerable.Range(0, options.Value.Concurrency)
            .Select(_ => Task.Run(() => RunLoopAsync(stoppingToken, deadline.Token), CancellationToken.None));
        await Task.WhenAll(loops);
    }

    /// <summary>
    /// Workers own ccxt, so they tell the scheduler which exchanges exist (it validates requests
    /// against this list) and what is known of each before a sweep (it plans with that).
    /// </summary>
    private async Task PublishCatalogAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                var exchanges = await profiles.ReadAsync(stoppingToken);
                await catalog.PublishAsync(exchanges, stoppingToken);
                LogCatalogPublished(exchanges.Count, exchanges.Count(e => e.Reach == ExchangeReach.Simulated));
                return;
            }
            // A request that timed out is cancelled too: only shutdown ends the attempts.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogCatalogFailed(ex);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken, CancellationToken deadline)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            JobLease lease;
            try
            {
                lease = await queue.ClaimAsync(WorkerId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Redis down or restarting: the multiplexer reconnects; try again shortly.
                LogClaimFailed(ex);
                try
                {
                    await Task.Delay(RetryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                await using (lease)
                {
                    await ProcessAsync(lease, deadline);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Anything unforeseen (Redis unreachable while recording, say) must not end this
                // loop, nor the worker: the job is handed back or its lease lapses, and another
                // claim brings it to an outcome.
                LogJobFailed(ex, lease.Job.Exchange, lease.Job.SweepId);
            }
        }
    }

    private async Task ProcessAsync(JobLease lease, CancellationToken deadline)
    {
        var job = lease.Job;
        using var activity = SweepQueueTelemetry.StartProcess(job.TraceParent, job.TraceState, job.SweepId, job.Exchange, job.Attempt);
        activity?.SetTag("worker.id", WorkerId);

        try
        {
            if (await SweepAndRecordAsync(lease, deadline) is { } outcome)
            {
                activity?.SetTag("exchange.outcome", StoredName<ExchangeOutcomeKind>.Of(outcome));
            }
            else
            {
                activity?.SetTag("exchange.retried", true);
            }
        }
        catch (Exception ex) when (ex is LeaseLostException || (ex is OperationCanceledException && lease.LeaseLost.IsCancellationRequested))
        {
            // Someone else owns the job now (our lease lapsed, or the sweep was cancelled): write nothing more.
            activity?.SetStatus(ActivityStatusCode.Error, "lease lost");
            LogLeaseLost(job.Exchange, job.SweepId);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "handed back at shutdown");
            await lease.AbandonAsync(CancellationToken.None);
            LogHandedBack(job.Exchange, job.SweepId);
        }
        catch (OperationCanceledException)
        {
            // The permit's lease was lost mid-work: hand the job back rather than record a half sweep.
            activity?.SetStatus(ActivityStatusCode.Error, "permit lost");
            await lease.AbandonAsync(CancellationToken.None);
            LogPermitLost(job.Exchange, job.SweepId);
        }
    }

    /// <summary>Permit, sweep, outcome; returns the outcome recorded, or null when the job went back for another attempt.</summary>
    private async Task<ExchangeOutcomeKind?> SweepAndRecordAsync(JobLease lease, CancellationToken deadline)
    {
        var job = lease.Job;
        var clock = Stopwatch.StartNew();

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(lease.LeaseLost, deadline);
        PermitLease permit;
        using (WorkerTelemetry.Source.StartActivity("permit wait"))
        {
            permit = await semaphore.AcquireAsync(WorkerId, job.Exchange, waiting.Token);
        }

        telemetry.PermitWaited(clock.Elapsed);
        // The exchange's time starts with its permit: the wait for one is the pool's, not the
        // exchange's, and the scheduler orders the next sweep by these times.
        var startedAt = DateTimeOffset.UtcNow;
        await using (permit)
        {
            using var work = CancellationTokenSource.CreateLinkedTokenSource(lease.LeaseLost, permit.LeaseLost, deadline);
            var workStarted = clock.Elapsed;
            ExchangeOutcomeKind? recorded;
            try
            {
                var publisher = new BookPublisher(results, lease, telemetry, options.Value.PublishLinger);
                var spreads = new SpreadMedian();
                var bands = metricsOptions.Value.Enabled ? metricBands : null;
                var result = await sweep.RunAsync(
                    job.Exchange,
                    (book, ct) =>
                    {
                        var snapshot = ToSnapshot(job, book, WorkerId, bands);
                        spreads.Add(snapshot.Metrics?.SpreadBps);
                        return publisher.PublishAsync(snapshot, ct);
                    },
                    work.Token);
                // The outcome counts the books handed over: recorded only once every one is stored.
                await publisher.DrainAsync();
                var outcome = ExchangeOutcome.Swept(result.BooksOk, result.ErrorsByClass, startedAt, DateTimeOffset.UtcNow, spreads.Median);
                await lease.CompleteAsync(outcome, CancellationToken.None);
                recorded = outcome.Outcome;
            }
            catch (ExchangeException ex)
            {
                // The exchange as a whole failed (unknown id, markets not loaded): retry or dead-letter.
                var failure = ExchangeOutcome.Failed(ex.ErrorClass, ex.Message, startedAt, DateTimeOffset.UtcNow);
                var retrying = await lease.FailAsync(failure, ex.IsRetryable, CancellationToken.None);
                recorded = retrying ? null : ExchangeOutcomeKind.DeadLettered;
            }

            telemetry.ExchangeAttempted(job.Exchange, recorded, clock.Elapsed - workStarted);
            return recorded;
        }
    }

    /// <summary>
    /// The book as stored, sharing its levels (nothing is copied per level), with its metrics:
    /// computed once here, where every reader then finds them. A book whose market ccxt did not
    /// describe usably has none; with metrics off (<paramref name="bands"/> null) no book has a
    /// market or metrics, as books stored before metrics existed.
    /// </summary>
    internal static BookSnapshot ToSnapshot(SweepJob job, OrderBook book, string workerId, MetricBands? bands)
    {
        var fetchedAt = DateTimeOffset.UtcNow;
        var (market, metrics) = (bands, book.Market) is ({ } b, { } m)
            ? (m, BookMetricsCalculator.Compute(book.Bids, book.Asks, m, book.Timestamp, fetchedAt, b))
            : ((MarketInfo?)null, (BookMetrics?)null);
        return new(
            job.Exchange,
            book.Symbol,
            book.Bids,
            book.Asks,
            book.Timestamp,
            book.Datetime,
            book.Nonce,
            job.SweepId,
            workerId,
            fetchedAt,
            market,
            metrics);
    }

    [LoggerMessage(LogLevel.Information, "Published ccxt's list of {Count} exchanges ({Simulated} of them simulated)")]
    private partial void LogCatalogPublished(int count, int simulated);

    [LoggerMessage(LogLevel.Warning, "Could not publish ccxt's exchange list; retrying")]
    private partial void LogCatalogFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Could not claim a job; retrying")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(LogLevel.Error, "{Exchange} (sweep {SweepId}): the job failed unexpectedly; it goes back to the queue")]
    private partial void LogJobFailed(Exception exception, string exchange, long sweepId);

    [LoggerMessage(LogLevel.Warning, "{Exchange} (sweep {SweepId}): lease lost, another worker takes over")]
    private partial void LogLeaseLost(string exchange, long sweepId);

    [LoggerMessage(LogLevel.Warning, "{Exchange} (sweep {SweepId}): permit lost mid-work, job handed back")]
    private partial void LogPermitLost(string exchange, long sweepId);

    [LoggerMessage(LogLevel.Information, "{Exchange} (sweep {SweepId}): handed back to the queue at shutdown")]
    private partial void LogHandedBack(string exchange, long sweepId);
}
