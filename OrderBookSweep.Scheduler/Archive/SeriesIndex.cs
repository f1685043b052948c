using System.Globalization;
using OrderBookSweep.Coordination.Metrics;
using Parquet;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// The metrics rows again, laid out for a book's history: one file per exchange and day
/// (<see cref="ArchiveLayout.SeriesFile"/>), sorted by symbol, then fetch time. A series over 30
/// days then opens some 30 small files, not 1,440 sweeps' files: DuckDB's cost grows with the files
/// and columns it opens (docs/archive.md, "Reading a series").
/// Each archived sweep is merged into its day's files (<see cref="MergeAsync"/>): per exchange, the
/// rows of the day's file so far and the exchange's row groups of the sweep are sorted and written
/// into a new file. The columns are those of the bands this service is set to, which are all a
/// history query may ask for; a sweep written with other bands has nulls in the columns it lacks.
/// Invariants:
/// - A day's files hold the rows of the sweeps in its <see cref="ArchiveLayout.SeriesMerged"/>
///   list, each once; a sweep merged again (after a crash between the files and the list) replaces
///   its own rows, never adds them twice.
/// - A file is written under a <c>.tmp</c> name and renamed over the old one: a reader sees the
///   old file or the new one. The list is written the same way, after the files.
/// - One exchange of one day is in memory at a time: some 10 MB for 200 books in 48 sweeps.
/// - Only the per-sweep files are the archive; these are derived from them and can be deleted.
/// </summary>
public sealed class SeriesIndex(ArchiveLayout layout, MetricBands bands)
{
    /// <summary>The sweeps whose rows a day's files hold.</summary>
    public IReadOnlySet<long> Merged(DateOnly date)
    {
        var list = layout.SeriesMerged(date);
        return File.Exists(list)
            ? File.ReadLines(list).Select(line => long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).ToHashSet()
            : new HashSet<long>();
    }

    /// <summary>Archived sweeps newer than <paramref name="retiredUpTo"/> that their day's files do not hold yet, by date, then id.</summary>
    public IReadOnlyList<ArchivedSweep> Unmerged(long retiredUpTo) =>
        [.. layout.ArchivedSweeps().GroupBy(s => s.Date).SelectMany(day => Unmerged(day.Key, day, retiredUpTo))];

    /// <summary>The same for one day: the sweeps whose rows a reader finds only in their own files.</summary>
    public IReadOnlyList<ArchivedSweep> Unmerged(DateOnly date, long retiredUpTo) =>
        [.. Unmerged(date, layout.ArchivedSweeps(date), retiredUpTo)];

    private IEnumerable<ArchivedSweep> Unmerged(DateOnly date, IEnumerable<ArchivedSweep> archived, long retiredUpTo)
    {
        var merged = Merged(date);
        return archived.Where(s => s.SweepId > retiredUpTo && !merged.Contains(s.SweepId));
    }

    /// <summary>Deletes a day's series files and list: its sweeps are read from their own files until merged again.</summary>
    public void Delete(DateOnly date)
    {
        var folder = layout.SeriesFolder(date);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Merges the metrics of <paramref name="sweepIds"/>, all archived under <paramref name="date"/>,
    /// into that day's files; a sweep whose metrics file is gone (retention) is left out.
    /// Returns how many exchanges' files were written.
    /// </summary>
    public async Task<int> MergeAsync(DateOnly date, IReadOnlyCollection<long> sweepIds, CancellationToken ct)
    {
        var sweeps = new List<ParquetReader>();
        try
        {
            foreach (var file in sweepIds.Select(id => layout.File(ArchivePart.Metrics, id, date)).Where(File.Exists))
            {
                sweeps.Add(await ParquetReader.CreateAsync(file, null, ct));
            }

            if (sweeps.Count == 0)
            {
                // All retired: no list for a day retention has deleted, or has yet to.
                return 0;
            }

            var written = 0;
            var merging = sweepIds.ToHashSet();
            var buffers = new Buffers(bands);
            foreach (var (exchange, groups) in await RowGroupsByExchangeAsync(sweeps, ct))
            {
                // An id that cannot be a file name has no series file (the queue admits none such).
                if (layout.SeriesFile(date, exchange) is { } file)
                {
                    await MergeExchangeAsync(file, exchange, merging, groups, buffers, ct);
                    written++;
                }
            }

            var list = layout.SeriesMerged(date);
            Directory.CreateDirectory(layout.SeriesFolder(date));
            await File.WriteAllLinesAsync(list + ArchiveLayout.TempSuffix,
                Merged(date).Concat(sweepIds).Distinct().Order().Select(id => id.ToString(CultureInfo.InvariantCulture)), ct);
            File.Move(list + ArchiveLayout.TempSuffix, list, overwrite: true);
            return written;
        }
        finally
        {
            foreach (var sweep in sweeps)
            {
                await sweep.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// One exchange's file of the day: the rows it held, but those of the sweeps being merged, and
    /// the exchange's rows in those sweeps' row groups, sorted, under a temporary name, then renamed.
    /// </summary>
    private static async Task MergeExchangeAsync(
        string file, string exchange, HashSet<long> merging, List<(ParquetReader File, int RowGroup)> groups, Buffers buffers, CancellationToken ct)
    {
        buffers.Reset();
        var rows = new List<(MetricRows Rows, int Row)>();
        async Task LoadAsync(ParquetReader reader, int rowGroup, Func<MetricRows, int, bool> keep)
        {
            var buffer = buffers.Next();
            using var group = reader.OpenRowGroupReader(rowGroup);
            await buffer.ReadAsync(group, reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal), ct);
            for (var row = 0; row < buffer.Count; row++)
            {
                if (keep(buffer, row))
                {
                    rows.Add((buffer, row));
                }
            }
        }

        if (File.Exists(file))
        {
            try
            {
                await using var old = await ParquetReader.CreateAsync(file, null, ct);
                for (var g = 0; g < old.RowGroupCount; g++)
                {
                    await LoadAsync(old, g, (b, row) => !merging.Contains(b.SweepIdAt(row)));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && File.Exists(file) && !IsParquet(file))
            {
                throw new InvalidDataException($"Series file {file} is not a whole Parquet file", ex);
            }
        }

        foreach (var (reader, rowGroup) in groups)
        {
            await LoadAsync(reader, rowGroup, (b, row) => b.ExchangeAt(row) == exchange);
        }

        rows.Sort((x, y) => Compare(x.Rows, x.Row, y.Rows, y.Row));
        await using var output = await ArchiveFile.CreateAsync(file, buffers.Output, ct, ParquetRows.RewriteOptions);
        foreach (var (source, row) in rows)
        {
            output.Rows.AddFrom(source, row);
            await output.FlushIfFullAsync(ct);
        }

        // Not flushed to the disk first (a hundred files a sweep): one a power cut leaves broken is
        // found by the day's next merge, and the day built again from its sweeps' files.
        await output.CommitAsync(rows.Count, durable: false, ct);
    }

    /// <summary>Whether the file begins and ends with Parquet's magic bytes (a readable disk, a broken file: false).</summary>
    private static bool IsParquet(string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> head = stackalloc byte[4], tail = stackalloc byte[4];
        if (stream.Length < 12 || stream.Read(head) < 4)
        {
            return false;
        }

        stream.Seek(-4, SeekOrigin.End);
        return stream.Read(tail) == 4 && head.SequenceEqual("PAR1"u8) && tail.SequenceEqual("PAR1"u8);
    }

    /// <summary>The series files' order: symbol (ordinal), then fetch time, then sweep.</summary>
    private static int Compare(MetricRows x, int i, MetricRows y, int j)
    {
        var order = string.CompareOrdinal(x.SymbolAt(i), y.SymbolAt(j));
        if (order == 0)
        {
            order = x.FetchedAtAt(i).CompareTo(y.FetchedAtAt(j));
        }

        return order != 0 ? order : x.SweepIdAt(i).CompareTo(y.SweepIdAt(j));
    }

    /// <summary>Which row groups of the sweeps' files hold each exchange, by exchange: its column read alone.</summary>
    private static async Task<SortedDictionary<string, List<(ParquetReader File, int RowGroup)>>> RowGroupsByExchangeAsync(
        List<ParquetReader> sweeps, CancellationToken ct)
    {
        var byExchange = new SortedDictionary<string, List<(ParquetReader, int)>>(StringComparer.Ordinal);
        foreach (var sweep in sweeps)
        {
            var field = sweep.Schema.GetDataFields().Single(f => f.Name == "exchange");
            for (var g = 0; g < sweep.RowGroupCount; g++)
            {
                using var group = sweep.OpenRowGroupReader(g);
                var exchanges = new string?[group.RowCount];
                await group.ReadAsync(field, exchanges.AsMemory(), null, ct);
                foreach (var exchange in exchanges.OfType<string>().Distinct(StringComparer.Ordinal))
                {
                    if (!byExchange.TryGetValue(exchange, out var groups))
                    {
                        byExchange[exchange] = groups = [];
                    }

                    groups.Add((sweep, g));
                }
            }
        }

        return byExchange;
    }

    /// <summary>The row buffers of one merge, reused from exchange to exchange: their arrays are allocated once.</summary>
    private sealed class Buffers(MetricBands bands)
    {
        private readonly List<MetricRows> _read = [];
        private int _used;

        public MetricRows Output { get; } = new(bands);

        /// <summary>A buffer to read a row group into, unused since <see cref="Reset"/>.</summary>
        public MetricRows Next()
        {
            if (_used == _read.Count)
            {
                _read.Add(new MetricRows(bands));
            }

            return _read[_used++];
        }

        public void Reset() => _used = 0;
    }
}
