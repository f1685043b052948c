using System.Globalization;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// Deletes archived sweeps, oldest first (by date, then id), while one is older than
/// <see cref="ArchiveOptions.RetainDays"/> or the archive is larger than
/// <see cref="ArchiveOptions.MaxBytes"/>. The newest archived sweep is always kept, and a sweep being
/// written is only its temporary files, which retention never touches. The outcomes file goes
/// first, so a sweep half deleted by a crash no longer reads as archived; the highest id deleted
/// is remembered (<see cref="ArchiveLayout.RetiredMarker"/>) so the archiver never writes it again.
/// A day's series files go with its last sweep; until then readers leave out the retired rows they
/// still hold by that marker.
/// </summary>
public sealed class ArchiveRetention(ArchiveLayout layout, SeriesIndex series, IOptions<ArchiveOptions> options, TimeProvider time, ILogger<ArchiveRetention> logger)
{
    private static readonly ArchivePart[] DeleteOrder = [ArchivePart.Outcomes, ArchivePart.Metrics, ArchivePart.Books];

    /// <summary>Applies the limits; returns the ids of the sweeps deleted.</summary>
    public IReadOnlyList<long> Apply()
    {
        var sweeps = layout.ArchivedSweeps();
        if (sweeps.Count <= 1)
        {
            return [];
        }

        var sizes = sweeps.ToDictionary(s => s.SweepId, SizeOf);
        var total = sizes.Values.Sum();
        var oldestKept = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-options.Value.RetainDays);
        var deleted = new List<long>();
        foreach (var sweep in sweeps.Take(sweeps.Count - 1))
        {
            if (sweep.Date >= oldestKept && total <= options.Value.MaxBytes)
            {
                break;
            }

            Delete(sweep);
            total -= sizes[sweep.SweepId];
            deleted.Add(sweep.SweepId);
        }

        if (deleted.Count > 0)
        {
            MarkRetired(Math.Max(deleted.Max(), RetiredUpTo(layout)));
            logger.LogInformation("Archive retention deleted {Count} sweeps ({First}..{Last}); {Bytes} bytes remain", deleted.Count, deleted[0], deleted[^1], total);
        }

        return deleted;
    }

    /// <summary>The highest sweep id retention has deleted, 0 if none.</summary>
    public static long RetiredUpTo(ArchiveLayout layout) =>
        File.Exists(layout.RetiredMarker) && long.TryParse(File.ReadAllText(layout.RetiredMarker).Trim(), CultureInfo.InvariantCulture, out var id) ? id : 0;

    private long SizeOf(ArchivedSweep sweep) =>
        Enum.GetValues<ArchivePart>().Select(part => new FileInfo(layout.File(part, sweep.SweepId, sweep.Date))).Where(f => f.Exists).Sum(f => f.Length);

    private void Delete(ArchivedSweep sweep)
    {
        foreach (var part in DeleteOrder)
        {
            var file = layout.File(part, sweep.SweepId, sweep.Date);
            if (!File.Exists(file))
            {
                continue;
            }

            File.Delete(file);
            var folder = Path.GetDirectoryName(file)!;
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }

        if (layout.ArchivedSweeps(sweep.Date).Count == 0)
        {
            series.Delete(sweep.Date);
        }
    }

    private void MarkRetired(long sweepId)
    {
        var temp = layout.RetiredMarker + ArchiveLayout.TempSuffix;
        File.WriteAllText(temp, sweepId.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, layout.RetiredMarker, overwrite: true);
    }
}
