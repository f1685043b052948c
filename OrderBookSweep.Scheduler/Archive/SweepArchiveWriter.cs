using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// Writes a sweep's files, streamed: an exchange's books go from Redis into the sweep's temporary
/// books and metrics files a batch at a time, appended as row groups after those of the exchanges
/// staged before it, as soon as its outcome is recorded (<see cref="StageExchangeAsync"/>). What is
/// left when the sweep ends is the exchanges not staged yet, then flushing the two files to the
/// disk and renaming them (<see cref="FinishSweepAsync"/>): nothing is read back or encoded again.
/// Each append ends with a footer naming the exchanges the file holds, so a restart carries on from
/// them; a file cut short mid-append (or the two files disagreeing) is started over from Redis.
/// Rows are grouped by exchange, in the order they were staged, symbols in ordinal order within one.
/// </summary>
public sealed class SweepArchiveWriter(ArchiveLayout layout, ResultStore results, MetricBands bands)
{
    /// <summary>Books read from Redis per round trip.</summary>
    private const int ReadBatch = 100;

    /// <summary>Footer metadata of a sweep's books and metrics files: the exchanges they hold, comma-separated (an exchange id has no comma).</summary>
    private const string ExchangesKey = "orderbooksweep.exchanges";

    /// <summary>
    /// A market whose contract terms are unknown: the stored book does not say its market, so
    /// depth and slippage (which need the terms) stay null rather than be invented; spread, best
    /// prices, levels, crossed and age need none.
    /// </summary>
    private static readonly MarketInfo UnknownTerms = new(MarketType.Swap, "", "", null, null, null, null);

    public ArchiveLayout Layout => layout;

    public MetricBands Bands => bands;

    /// <summary>
    /// The exchanges whose books are in the sweep's temporary files. Files cut short by a crash, or
    /// naming different exchanges (a crash between the two appends), are deleted: the sweep starts over.
    /// </summary>
    public async Task<IReadOnlySet<string>> StagedExchangesAsync(SweepStatus sweep, CancellationToken ct)
    {
        var books = TempFile(ArchivePart.Books, sweep);
        var metrics = TempFile(ArchivePart.Metrics, sweep);
        var inBooks = await ArchiveFile.ReadMetadataAsync(books, ct);
        var inMetrics = await ArchiveFile.ReadMetadataAsync(metrics, ct);
        if (inBooks is not null && inMetrics is not null && ExchangesOf(inBooks) is var staged && staged.SetEquals(ExchangesOf(inMetrics)))
        {
            return staged;
        }

        foreach (var file in new[] { books, metrics }.Where(File.Exists))
        {
            File.Delete(file);
        }

        return new HashSet<string>();
    }

    /// <summary>
    /// Appends one exchange's books of the sweep to its temporary files; returns how many books were
    /// still in Redis. The caller knows the exchange is not in them yet (<see cref="StagedExchangesAsync"/>).
    /// </summary>
    public async Task<int> StageExchangeAsync(SweepStatus sweep, string exchange, ExchangeOutcome outcome, CancellationToken ct)
    {
        var date = DateOf(sweep);
        await using var metrics = await ArchiveFile.AppendAsync(layout.File(ArchivePart.Metrics, sweep.SweepId, date), new MetricRows(bands), ct);
        await using var books = await ArchiveFile.AppendAsync(layout.File(ArchivePart.Books, sweep.SweepId, date), new BookRows(), ct);
        var count = 0;
        await foreach (var book in results.ReadSweepBooksAsync(sweep.SweepId, exchange, outcome.StartedAt, ReadBatch, ct))
        {
            var marketType = MarketTypeOf(book);
            ((BookRows)books.Rows).Add(book, marketType);
            ((MetricRows)metrics.Rows).Add(book, marketType, MetricsOf(book));
            count++;
            await books.FlushIfFullAsync(ct);
            await metrics.FlushIfFullAsync(ct);
        }

        // An exchange is staged once both footers name it; a crash between the two makes them disagree.
        await metrics.CloseAsync(WithExchange(metrics.Metadata, exchange, count), ct);
        await books.CloseAsync(WithExchange(books.Metadata, exchange, count), ct);
        return count;
    }

    /// <summary>
    /// Writes the finished sweep's files: stages the exchanges not staged yet, publishes the books
    /// and metrics files, then writes the outcomes file, whose presence marks the sweep as archived.
    /// </summary>
    public async Task<SweepArchiveResult> FinishSweepAsync(SweepStatus sweep, CancellationToken ct)
    {
        var date = DateOf(sweep);
        var archived = sweep.Outcomes.Where(o => HasBooks(o.Value)).OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        var staged = await StagedExchangesAsync(sweep, ct);
        if (!staged.IsSubsetOf(archived.Select(o => o.Key)))
        {
            // Not this sweep's exchanges (a sweep id reused after its Redis state was lost): start over.
            foreach (var part in new[] { ArchivePart.Books, ArchivePart.Metrics })
            {
                File.Delete(TempFile(part, sweep));
            }

            staged = new HashSet<string>();
        }

        var stagedLate = 0;
        foreach (var (exchange, outcome) in archived.Where(o => !staged.Contains(o.Key)))
        {
            await StageExchangeAsync(sweep, exchange, outcome, ct);
            stagedLate++;
        }

        if (archived.Count == 0)
        {
            // Files with no rows, so that every archived sweep has its three.
            await using var books = await ArchiveFile.CreateAsync(layout.File(ArchivePart.Books, sweep.SweepId, date), new BookRows(), ct);
            await books.CloseAsync(WithExchange(new Dictionary<string, string>(), null, 0), ct);
            await using var metrics = await ArchiveFile.CreateAsync(layout.File(ArchivePart.Metrics, sweep.SweepId, date), new MetricRows(bands), ct);
            await metrics.CloseAsync(WithExchange(new Dictionary<string, string>(), null, 0), ct);
        }

        var bookCount = ArchiveFile.CountOf(await ArchiveFile.ReadMetadataAsync(TempFile(ArchivePart.Books, sweep), ct));
        ArchiveFile.Publish(layout.File(ArchivePart.Metrics, sweep.SweepId, date), durable: true);
        ArchiveFile.Publish(layout.File(ArchivePart.Books, sweep.SweepId, date), durable: true);

        var outcomes = new OutcomeRows();
        await using (var file = await ArchiveFile.CreateAsync(layout.File(ArchivePart.Outcomes, sweep.SweepId, date), outcomes, ct))
        {
            foreach (var (exchange, outcome) in sweep.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                outcomes.Add(sweep.SweepId, exchange, outcome);
            }

            await file.CommitAsync(sweep.Outcomes.Count, durable: true, ct);
        }

        return new SweepArchiveResult(sweep.SweepId, date, bookCount, archived.Sum(o => o.Value.SymbolsOk), stagedLate);
    }

    /// <summary>An exchange whose outcome says it stored books of this sweep; a cancelled job's books are not part of it.</summary>
    public static bool HasBooks(ExchangeOutcome outcome) =>
        outcome.SymbolsOk > 0 && outcome.Outcome is not (ExchangeOutcomeKind.Cancelled or ExchangeOutcomeKind.Skipped);

    /// <summary>
    /// The metrics the worker stored with the book, or, for a book stored without (before metrics existed, or with them off),
    /// computed here from its levels (with its market if it has one).
    /// </summary>
    private BookMetrics MetricsOf(BookSnapshot book) =>
        book.Metrics ?? BookMetricsCalculator.Compute(book.Bids, book.Asks, book.Market ?? UnknownTerms, book.Timestamp, book.FetchedAt, bands);

    private string TempFile(ArchivePart part, SweepStatus sweep) => layout.File(part, sweep.SweepId, DateOf(sweep)) + ArchiveLayout.TempSuffix;

    /// <summary>The date folder of a sweep's files: the day it started (UTC).</summary>
    private static DateOnly DateOf(SweepStatus sweep) => DateOnly.FromDateTime(sweep.CreatedAt.UtcDateTime);

    private static HashSet<string> ExchangesOf(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(ExchangesKey, out var list) ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries)] : [];

    /// <summary>The footer metadata after appending <paramref name="exchange"/>'s <paramref name="books"/> to a file whose footer was <paramref name="before"/>.</summary>
    private static Dictionary<string, string> WithExchange(IReadOnlyDictionary<string, string> before, string? exchange, int books)
    {
        var metadata = ArchiveFile.CountMetadata(ArchiveFile.CountOf(before) + books);
        var staged = before.TryGetValue(ExchangesKey, out var list) ? list : "";
        metadata[ExchangesKey] = exchange is null ? staged : staged.Length == 0 ? exchange : $"{staged},{exchange}";
        return metadata;
    }

    /// <summary>ccxt's name of the book's market type (the enum's names are ccxt's, lower-cased); null for a book stored without its market.</summary>
    private static string? MarketTypeOf(BookSnapshot book) => book.Market?.MarketType.ToString().ToLowerInvariant();
}

/// <summary>What archiving a sweep wrote: its books, against the sum of its outcomes' symbolsOk.</summary>
public sealed record SweepArchiveResult(long SweepId, DateOnly Date, int Books, int ExpectedBooks, int StagedLate)
{
    public bool Complete => Books == ExpectedBooks;
}
