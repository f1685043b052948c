using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// Writes a sweep's files, streamed: an exchange's books go from Redis to its staged books and
/// metrics files a batch at a time as soon as its outcome is recorded
/// (<see cref="StageExchangeAsync"/>), and the finished sweep's files are the staged ones merged
/// row group by row group (<see cref="FinishSweepAsync"/>). Every file is crash-safe
/// (<see cref="ArchiveFile"/>); writing one again from the same input gives the same rows
/// (exchanges and symbols in ordinal order).
/// </summary>
public sealed class SweepArchiveWriter(ArchiveLayout layout, ResultStore results, MetricBands bands)
{
    /// <summary>Books read from Redis per round trip.</summary>
    private const int ReadBatch = 100;

    /// <summary>
    /// A market whose contract terms are unknown: the stored book does not say its market, so
    /// depth and slippage (which need the terms) stay null rather than be invented; spread, best
    /// prices, levels, crossed and age need none.
    /// </summary>
    private static readonly MarketInfo UnknownTerms = new(MarketType.Swap, "", "", null, null, null, null);

    public ArchiveLayout Layout => layout;

    public MetricBands Bands => bands;

    /// <summary>Stages one exchange's books of one sweep; returns how many books were still in Redis.</summary>
    public async Task<int> StageExchangeAsync(long sweepId, string exchange, ExchangeOutcome outcome, CancellationToken ct)
    {
        await using var books = await ArchiveFile.CreateAsync(layout.StagedFile(sweepId, exchange, ArchivePart.Books), new BookRows(), durable: false, ct);
        await using var metrics = await ArchiveFile.CreateAsync(layout.StagedFile(sweepId, exchange, ArchivePart.Metrics), new MetricRows(bands), durable: false, ct);
        var count = 0;
        await foreach (var book in results.ReadSweepBooksAsync(sweepId, exchange, outcome.StartedAt, ReadBatch, ct))
        {
            var marketType = MarketTypeOf(book);
            ((BookRows)books.Rows).Add(book, marketType);
            ((MetricRows)metrics.Rows).Add(book, marketType, MetricsOf(book));
            count++;
            await books.FlushIfFullAsync(ct);
            await metrics.FlushIfFullAsync(ct);
        }

        // Metrics first: a books file staged means the exchange is staged.
        await metrics.CommitAsync(count, ct);
        await books.CommitAsync(count, ct);
        return count;
    }

    /// <summary>
    /// Writes the finished sweep's files from its staged exchanges (staging those not staged yet),
    /// the outcomes file last: its presence marks the sweep as archived. Removes the staging folder.
    /// </summary>
    public async Task<SweepArchiveResult> FinishSweepAsync(SweepStatus sweep, CancellationToken ct)
    {
        var date = DateOnly.FromDateTime(sweep.CreatedAt.UtcDateTime);
        var archived = sweep.Outcomes.Where(o => HasBooks(o.Value)).OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        var stagedLate = 0;
        foreach (var (exchange, outcome) in archived)
        {
            if (!File.Exists(layout.StagedFile(sweep.SweepId, exchange, ArchivePart.Books)))
            {
                await StageExchangeAsync(sweep.SweepId, exchange, outcome, ct);
                stagedLate++;
            }
        }

        var bookCount = 0;
        foreach (var (part, rows) in new (ArchivePart, ParquetRows)[] { (ArchivePart.Books, new BookRows()), (ArchivePart.Metrics, new MetricRows(bands)) })
        {
            await using var file = await ArchiveFile.CreateAsync(layout.File(part, sweep.SweepId, date), rows, durable: true, ct);
            bookCount = 0;
            foreach (var (exchange, _) in archived)
            {
                var staged = layout.StagedFile(sweep.SweepId, exchange, part);
                bookCount += await ArchiveFile.ReadCountAsync(staged, ct);
                await file.CopyAsync(staged, ct);
            }

            await file.CommitAsync(bookCount, ct);
        }

        var outcomes = new OutcomeRows();
        await using (var file = await ArchiveFile.CreateAsync(layout.File(ArchivePart.Outcomes, sweep.SweepId, date), outcomes, durable: true, ct))
        {
            foreach (var (exchange, outcome) in sweep.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                outcomes.Add(sweep.SweepId, exchange, outcome);
            }

            await file.CommitAsync(sweep.Outcomes.Count, ct);
        }

        var folder = layout.StagingFolder(sweep.SweepId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return new SweepArchiveResult(sweep.SweepId, date, bookCount, archived.Sum(o => o.Value.SymbolsOk), stagedLate);
    }

    /// <summary>An exchange whose outcome says it stored books of this sweep; a cancelled job's books are not part of it.</summary>
    public static bool HasBooks(ExchangeOutcome outcome) =>
        outcome.SymbolsOk > 0 && outcome.Outcome is not (ExchangeOutcomeKind.Cancelled or ExchangeOutcomeKind.Skipped);

    /// <summary>
    /// The metrics the worker stored with the book, or, for a book stored before metrics existed,
    /// computed here from its levels (with its market if it has one).
    /// </summary>
    private BookMetrics MetricsOf(BookSnapshot book) =>
        book.Metrics ?? BookMetricsCalculator.Compute(book.Bids, book.Asks, book.Market ?? UnknownTerms, book.Timestamp, book.FetchedAt, bands);

    /// <summary>ccxt's name of the book's market type (the enum's names are ccxt's, lower-cased); null for a book stored without its market.</summary>
    private static string? MarketTypeOf(BookSnapshot book) => book.Market?.MarketType.ToString().ToLowerInvariant();
}

/// <summary>What archiving a sweep wrote: its books, against the sum of its outcomes' symbolsOk.</summary>
public sealed record SweepArchiveResult(long SweepId, DateOnly Date, int Books, int ExpectedBooks, int StagedLate)
{
    public bool Complete => Books == ExpectedBooks;
}
