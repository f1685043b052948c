using System.ComponentModel.DataAnnotations;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>Where and how long finished sweeps are kept as Parquet (docs/archive.md). Section "Archive".</summary>
public sealed class ArchiveOptions : IValidatableObject
{
    public const string SectionName = "Archive";

    /// <summary>Off: no sweep is archived and the archive endpoints answer 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The archive's folder; a relative path is taken from the scheduler's content root. The
    /// AppHost points it at data/archive in the repository under <c>dotnet run</c>; on Kubernetes
    /// it is the mounted PersistentVolumeClaim.
    /// </summary>
    public string Path { get; set; } = "data/archive";

    /// <summary>Sweeps older than this many days are deleted, oldest first.</summary>
    public int RetainDays { get; set; } = 90;

    /// <summary>Above this many bytes in all, the oldest sweeps are deleted until it fits (never the newest one).</summary>
    public long MaxBytes { get; set; } = 50L * 1024 * 1024 * 1024;

    /// <summary>
    /// How often the archiver looks for exchanges that finished. An exchange's books are read from
    /// Redis as soon as its outcome is seen: the shorter, the smaller the chance that a later
    /// sweep replaced one of them first.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Widest <c>from</c>..<c>to</c> range a history query may span.</summary>
    public int MaxQueryDays { get; set; } = 366;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Path) || Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            yield return new ValidationResult("Archive:Path must name a folder.", [nameof(Path)]);
        }

        if (RetainDays is < 1 or > 36_500)
        {
            yield return new ValidationResult("Archive:RetainDays must be between 1 and 36500.", [nameof(RetainDays)]);
        }

        if (MaxBytes < 1024 * 1024)
        {
            yield return new ValidationResult("Archive:MaxBytes must be at least 1 MiB (1048576).", [nameof(MaxBytes)]);
        }

        if (PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult("Archive:PollInterval must be between 100 ms and 1 minute.", [nameof(PollInterval)]);
        }

        if (MaxQueryDays is < 1 or > 3_660)
        {
            yield return new ValidationResult("Archive:MaxQueryDays must be between 1 and 3660.", [nameof(MaxQueryDays)]);
        }
    }
}
