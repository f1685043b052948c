using System.Globalization;
using OrderBookSweep.Coordination;
using Parquet;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// Writes a sweep's files, streamed: an exchange's books go from Redis to its staged file a batch
/// at a time as soon as its outcome is recorded (<see cref="StageExchangeAsync"/>), and the
/// finished sweep's files are the staged ones merged row group by row group
/// (<see cref="FinishSweepAsync"/>). Every file is written under a temporary name, flushed to
/// the disk and renamed, so a crash leaves no partial file a reader can see; writing one again
/// from the same input gives the same rows (exchanges and symbols in ordinal order).
/// </summary>
public sealed class SweepArchiveWriter(ArchiveLayout layout, ResultStore results)
{
    /// <summary>Books read from Redis per round trip.</summary>
    private const int ReadBatch = 100;

    /// <summary>Footer metadata: books in a books file, exchanges in an outcomes file.</summary>
    private const string CountKey = "orderbooksweep.count";

    public ArchiveLayout Layout => layout;

    /// <summary>Stages one exchange's books of one sweep; returns how many books were still in Redis.</summary>
    public async Task<int> StageExchangeAsync(long sweepId, string exchange, ExchangeOutcome outcome, CancellationToken ct)
    {
        var rows = new BookRows();
        var count = 0;
        await WriteAsync(layout.StagedFile(sweepId, exchange, ArchivePart.Books), rows, async writer =>
        {
            await foreach (var book in results.ReadSweepBooksAsync(sweepId, exchange, outcome.StartedAt, ReadBatch, ct))
            {
                rows.Add(book, marketType: null);
                count++;
                if (rows.IsFull)
                {
                    await rows.FlushAsync(writer, ct);
                }
            }

            return count;
        }, ct);
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
        var staged = 0;
        foreach (var (exchange, outcome) in archived)
        {
            if (!File.Exists(layout.StagedFile(sweep.SweepId, exchange, ArchivePart.Books)))
            {
                await StageExchangeAsync(sweep.SweepId, exchange, outcome, ct);
                staged++;
            }
        }

        var books = new BookRows();
        var bookCount = await WriteAsync(layout.File(ArchivePart.Books, sweep.SweepId, date), books, async writer =>
        {
            var count = 0;
            foreach (var (exchange, _) in archived)
            {
                var file = layout.StagedFile(sweep.SweepId, exchange, ArchivePart.Books);
                count += await ReadBookCountAsync(file, ct);
                await books.CopyAsync(file, writer, ct);
            }

            await books.FlushAsync(writer, ct);
            return count;
        }, ct);

        var outcomes = new OutcomeRows();
        await WriteAsync(layout.File(ArchivePart.Outcomes, sweep.SweepId, date), outcomes, async writer =>
        {
            foreach (var (exchange, outcome) in sweep.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                outcomes.Add(sweep.SweepId, exchange, outcome);
            }

            await outcomes.FlushAsync(writer, ct);
            return sweep.Outcomes.Count;
        }, ct);

        var folder = layout.StagingFolder(sweep.SweepId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return new SweepArchiveResult(sweep.SweepId, date, bookCount, sweep.Outcomes.Values.Where(HasBooks).Sum(o => o.SymbolsOk), staged);
    }

    /// <summary>An exchange whose outcome says it stored books of this sweep; a cancelled job's books are not part of it.</summary>
    public static bool HasBooks(ExchangeOutcome outcome) =>
        outcome.SymbolsOk > 0 && outcome.Outcome is not (ExchangeOutcomeKind.Cancelled or ExchangeOutcomeKind.Skipped);

    private static async Task<int> ReadBookCountAsync(string file, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(file, null, ct);
        return reader.CustomMetadata.TryGetValue(CountKey, out var value) && int.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    /// <summary>
    /// One file, crash-safe: written under <see cref="ArchiveLayout.TempSuffix"/>, with the number
    /// <paramref name="write"/> returns kept in its metadata, flushed to the disk, then renamed over
    /// any older copy.
    /// </summary>
    private static async Task<int> WriteAsync(string path, ParquetRows rows, Func<ParquetWriter, Task<int>> write, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ArchiveLayout.TempSuffix;
        int count;
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await using (var writer = await ParquetWriter.CreateAsync(rows.Schema, stream, ParquetRows.WriteOptions, false, ct))
            {
                count = await write(writer);
                await rows.FlushAsync(writer, ct);
                writer.CustomMetadata = new Dictionary<string, string> { [CountKey] = count.ToString(CultureInfo.InvariantCulture) };
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        return count;
    }
}

/// <summary>What archiving a sweep wrote: its books, against the sum of its outcomes' symbolsOk.</summary>
public sealed record SweepArchiveResult(long SweepId, DateOnly Date, int Books, int ExpectedBooks, int StagedLate)
{
    public bool Complete => Books == ExpectedBooks;
}
