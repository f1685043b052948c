using System.ComponentModel.DataAnnotations;
using System.Globalization;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Scheduler;

/// <summary>What a sweep covers and how often one starts. Section "Sweep".</summary>
public sealed class SweepOptions : IValidatableObject
{
    public const string SectionName = "Sweep";

    /// <summary>
    /// Comma-separated exchange ids a sweep covers when a request names none. Empty: every
    /// exchange ccxt supports.
    /// </summary>
    public string Exchanges { get; set; } = "";

    /// <summary>
    /// Time between interval sweeps, as a time span (<c>00:05:00</c>) or whole seconds (<c>300</c>);
    /// <see cref="TimeSpan.Zero"/>: on demand only.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How often the scheduler reads the running sweep's progress (gauges, health, reconciling
    /// jobs that a Redis restart lost). Short enough for the dashboard, cheap for Redis: a few
    /// reads per tick.
    /// </summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Reads <c>Sweep:Interval</c> written as whole seconds as seconds: the binder alone reads
    /// <c>300</c> as TimeSpan does, as 300 days.
    /// </summary>
    public static void ReadIntervalInSeconds(SweepOptions options, IConfiguration configuration)
    {
        if (int.TryParse(configuration[$"{SectionName}:{nameof(Interval)}"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            options.Interval = TimeSpan.FromSeconds(seconds);
        }
    }

    public IReadOnlyList<string> ExchangeList =>
        Exchanges.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Interval < TimeSpan.Zero)
        {
            yield return new ValidationResult($"Sweep:Interval must be 0 (on demand only) or a positive time span like 00:05:00; got {Interval}.", [nameof(Interval)]);
        }

        if (MonitorInterval < TimeSpan.FromMilliseconds(100) || MonitorInterval > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult("Sweep:MonitorInterval must be between 100 ms and 1 minute.", [nameof(MonitorInterval)]);
        }

        foreach (var id in ExchangeList)
        {
            if (!ExchangeIds.IsWellFormed(id))
            {
                yield return new ValidationResult($"Sweep:Exchanges has a malformed exchange id '{id}' ({ExchangeIds.Rule}).", [nameof(Exchanges)]);
            }
        }
    }
}
