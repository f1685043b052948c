using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// Archives every sweep as Parquet, inside the scheduler (docs/architecture.md, "The archive"):
/// each pass reads the newest sweeps, stages the books of every exchange whose outcome appeared
/// since the last pass (before a later sweep replaces them or they expire), writes the files of
/// every sweep that is no longer running (cancelled ones too: their finished exchanges), applies
/// retention, then merges one day's newly archived sweeps into the series files
/// (<see cref="SeriesIndex"/>), newest day first: the first pass finds every sweep archived but not
/// merged (after a crash, or in an archive older than the series files) and works through them a
/// day a pass, so staging never waits long behind them. A folder that refuses writes (full, read-only, gone) makes the pass fail:
/// health turns Degraded with the reason, sweeping goes on, and the next passes catch up on what
/// is missing once it accepts writes again; so does a restart.
/// </summary>
public sealed class SweepArchiver(
    SweepArchiveWriter writer,
    ArchiveRetention retention,
    SeriesIndex series,
    SweepHistory history,
    SweepStore store,
    IOptions<ArchiveOptions> options,
    TimeProvider time,
    ILogger<SweepArchiver> logger) : BackgroundService
{
    /// <summary>Newest sweeps looked at per pass: more than ever run at once, and what a long outage leaves to catch up on.</summary>
    private const int WatchedSweeps = 20;

    private readonly HashSet<long> _archived = [];
    /// <summary>The exchanges in each running sweep's temporary files, read from their footers the first time the sweep is seen.</summary>
    private readonly Dictionary<long, HashSet<string>> _staged = [];

    /// <summary>Whether an archived sweep may be missing from the series files: at start, after each archived sweep, until a pass finds none.</summary>
    private bool _seriesBehind = true;

    /// <summary>The archive's state as the health check shows it.</summary>
    public ArchiveStatus Status { get; private set; } = new(null, null, null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Archive:Enabled is false: sweeps are not archived");
            return;
        }

        logger.LogInformation("Archiving sweeps to {Root}", writer.Layout.Root);
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            await RunPassAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass; never throws but for cancellation: a failure is logged and shown in <see cref="Status"/>.</summary>
    public async Task RunPassAsync(CancellationToken ct)
    {
        try
        {
            await PassAsync(ct);
            if (Status.Error is not null)
            {
                logger.LogInformation("Archive folder {Root} accepts writes again", writer.Layout.Root);
            }

            Status = Status with { Error = null, ErrorSince = null };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An append cut short leaves a file to check again before the next one.
            _staged.Clear();
            if (Status.Error is null)
            {
                // Once per outage, not once per pass.
                logger.LogError(ex, "Archive folder {Root} refuses writes: {Reason}. Sweeps go on; the archive catches up when it accepts writes", writer.Layout.Root, ex.Message);
            }

            Status = Status with { Error = ex.Message, ErrorSince = Status.ErrorSince ?? time.GetUtcNow() };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _staged.Clear();
            logger.LogWarning(ex, "Archive pass failed; the next one tries again");
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        var retired = ArchiveRetention.RetiredUpTo(writer.Layout);
        var page = await history.GetPageAsync(before: null, WatchedSweeps, ct);
        foreach (var item in page.Items.OrderBy(i => i.SweepId))
        {
            if (item.SweepId <= retired || _archived.Contains(item.SweepId))
            {
                continue;
            }

            if (writer.Layout.Find(ArchivePart.Outcomes, item.SweepId) is not null)
            {
                _archived.Add(item.SweepId);
                continue;
            }

            if (await store.GetSweepAsync(item.SweepId, ct) is not { } sweep)
            {
                continue;
            }

            if (sweep.State == SweepState.Running)
            {
                await StageFinishedExchangesAsync(sweep, ct);
                continue;
            }

            var result = await writer.FinishSweepAsync(sweep, ct);
            _archived.Add(sweep.SweepId);
            _staged.Remove(sweep.SweepId);
            if (result.Complete)
            {
                logger.LogInformation("Sweep {SweepId} archived: {Books} books", sweep.SweepId, result.Books);
            }
            else
            {
                logger.LogWarning(
                    "Sweep {SweepId} archived incomplete: {Books} of its {Expected} books were still in Redis (the rest expired or were replaced by a later sweep before they were read)",
                    sweep.SweepId, result.Books, result.ExpectedBooks);
            }

            Status = Status with { LastArchived = result };
            retention.Apply();
            _seriesBehind = true;
        }

        await MergeNewestDayAsync(retired, ct);
    }

    private async Task MergeNewestDayAsync(long retired, CancellationToken ct)
    {
        if (!_seriesBehind)
        {
            return;
        }

        // Read from the folder, not kept: the sweeps' outcomes files and each day's list say it all.
        var unmerged = series.Unmerged(retired);
        if (unmerged.Count == 0)
        {
            _seriesBehind = false;
            return;
        }

        var date = unmerged[^1].Date;
        var sweeps = unmerged.Where(s => s.Date == date).Select(s => s.SweepId).ToList();
        try
        {
            var exchanges = await series.MergeAsync(date, sweeps, ct);
            logger.LogDebug("Series of {Date}: merged sweeps {Sweeps} ({Exchanges} exchanges)", date, sweeps, exchanges);
        }
        catch (InvalidDataException ex)
        {
            // A series file cut short or overwritten: the day's are derived, so they are built again
            // from its sweeps' files by the next pass; until then its history is read from those.
            logger.LogWarning(ex, "Series files of {Date} could not be merged into; they are rebuilt", date);
            series.Delete(date);
        }
    }

    private async Task StageFinishedExchangesAsync(SweepStatus sweep, CancellationToken ct)
    {
        if (!_staged.TryGetValue(sweep.SweepId, out var staged))
        {
            _staged[sweep.SweepId] = staged = [.. await writer.StagedExchangesAsync(sweep, ct)];
        }

        foreach (var (exchange, outcome) in sweep.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (!SweepArchiveWriter.HasBooks(outcome) || staged.Contains(exchange))
            {
                continue;
            }

            var books = await writer.StageExchangeAsync(sweep, exchange, outcome, ct);
            staged.Add(exchange);
            logger.LogDebug("Sweep {SweepId}: staged {Books} books of {Exchange}", sweep.SweepId, books, exchange);
        }
    }
}

/// <summary>The last sweep archived, and the write error the archive is in, if any, since when.</summary>
public sealed record ArchiveStatus(SweepArchiveResult? LastArchived, string? Error, DateTimeOffset? ErrorSince);
