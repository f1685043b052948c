using System.Globalization;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// Where each file of the archive lives (docs/archive.md, "Layout"):
/// <c>{part}/date={yyyy-MM-dd}/sweep-{id:D10}.parquet</c>, the date being the sweep's start (UTC),
/// so that a glob over one part reads as one table and a date range opens only its folders.
/// Files are written under a <c>.tmp</c> name and renamed: a reader's <c>*.parquet</c> glob
/// never sees a partial one: a sweep being written is only its temporary files.
/// Beside the parts, <c>series/date={yyyy-MM-dd}/{exchange}.parquet</c> holds the same metrics rows
/// again, one file per exchange and day (<see cref="SeriesIndex"/>).
/// </summary>
public sealed class ArchiveLayout
{
    public const string TempSuffix = ".tmp";

    public ArchiveLayout(IOptions<ArchiveOptions> options, IHostEnvironment environment)
        : this(System.IO.Path.GetFullPath(options.Value.Path, environment.ContentRootPath))
    {
    }

    public ArchiveLayout(string root) => Root = root;

    public string Root { get; }

    /// <summary>The highest sweep id retention has deleted: the archiver never writes that one or an older one again.</summary>
    public string RetiredMarker => System.IO.Path.Combine(Root, ".retired");

    public static string Folder(ArchivePart part) => StoredName<ArchivePart>.Of(part);

    /// <summary>The folder of one day's series files.</summary>
    public string SeriesFolder(DateOnly date) => System.IO.Path.Combine(Root, SeriesFolderName, DateFolder(date));

    /// <summary>
    /// One exchange's series file of one day. The id becomes a file name, so only a well-formed one
    /// (<see cref="ExchangeIds"/>) has a file: anything else gets null.
    /// </summary>
    public string? SeriesFile(DateOnly date, string exchange) =>
        ExchangeIds.IsWellFormed(exchange) ? System.IO.Path.Combine(SeriesFolder(date), exchange + ".parquet") : null;

    /// <summary>The list of the sweeps a day's series files hold, one id a line.</summary>
    public string SeriesMerged(DateOnly date) => System.IO.Path.Combine(SeriesFolder(date), "merged.txt");

    public string File(ArchivePart part, long sweepId, DateOnly date) =>
        System.IO.Path.Combine(Root, Folder(part), DateFolder(date), FileName(sweepId));

    /// <summary>A sweep's file of one part, or null while it is not written.</summary>
    public string? Find(ArchivePart part, long sweepId)
    {
        var folder = System.IO.Path.Combine(Root, Folder(part));
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var name = FileName(sweepId);
        return Directory.EnumerateDirectories(folder, "date=*")
            .Select(date => System.IO.Path.Combine(date, name))
            .FirstOrDefault(System.IO.File.Exists);
    }

    /// <summary>Every archived sweep: those whose outcomes file, written last, exists.</summary>
    public IReadOnlyList<ArchivedSweep> ArchivedSweeps() =>
        [.. Dates(System.IO.Path.Combine(Root, Folder(ArchivePart.Outcomes))).OrderBy(d => d.Date).SelectMany(d => ArchivedIn(d.Folder, d.Date))];

    /// <summary>The sweeps archived under one date, by id.</summary>
    public IReadOnlyList<ArchivedSweep> ArchivedSweeps(DateOnly date) =>
        [.. ArchivedIn(System.IO.Path.Combine(Root, Folder(ArchivePart.Outcomes), DateFolder(date)), date)];

    /// <summary>The files of one part in the date folders from <paramref name="from"/> to <paramref name="to"/>, by date.</summary>
    public IReadOnlyList<string> Files(ArchivePart part, DateOnly from, DateOnly to)
    {
        var files = new List<string>();
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            var folder = System.IO.Path.Combine(Root, Folder(part), DateFolder(date));
            if (Directory.Exists(folder))
            {
                files.AddRange(Directory.EnumerateFiles(folder, "sweep-*.parquet").Order(StringComparer.Ordinal));
            }
        }

        return files;
    }

    private const string SeriesFolderName = "series";

    private static IEnumerable<(DateOnly Date, string Folder)> Dates(string parent)
    {
        if (!Directory.Exists(parent))
        {
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(parent, "date=*"))
        {
            if (TryParseDate(System.IO.Path.GetFileName(folder), out var date))
            {
                yield return (date, folder);
            }
        }
    }

    private static IEnumerable<ArchivedSweep> ArchivedIn(string dateFolder, DateOnly date)
    {
        if (!Directory.Exists(dateFolder))
        {
            return [];
        }

        var sweeps = new List<ArchivedSweep>();
        foreach (var file in Directory.EnumerateFiles(dateFolder, "sweep-*.parquet"))
        {
            if (long.TryParse(System.IO.Path.GetFileNameWithoutExtension(file).AsSpan("sweep-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                sweeps.Add(new ArchivedSweep(id, date));
            }
        }

        return sweeps.OrderBy(s => s.SweepId);
    }

    private static string DateFolder(DateOnly date) => $"date={date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    private static bool TryParseDate(string folder, out DateOnly date) =>
        DateOnly.TryParseExact(folder.AsSpan("date=".Length), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static string FileName(long sweepId) => $"sweep-{sweepId.ToString("D10", CultureInfo.InvariantCulture)}.parquet";
}

/// <summary>A sweep whose three files are written, and the date folder they are in.</summary>
public sealed record ArchivedSweep(long SweepId, DateOnly Date);
