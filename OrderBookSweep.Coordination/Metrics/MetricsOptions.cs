using Microsoft.Extensions.Options;

namespace OrderBookSweep.Coordination.Metrics;

/// <summary>
/// Settings of the book metrics (section <c>Metrics</c>), validated at start. The worker writes
/// the bands into every book it stores; the scheduler reads <see cref="StaleAfter"/>.
/// </summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// Whether the worker computes metrics and indexes its books by market. Off, it stores each book
    /// with neither market nor metrics, as books stored before metrics existed, and the market index
    /// gets no entry: the way to measure what metrics cost a sweep.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Depth bands, in percent of the mid; unset: <see cref="MetricBands.DefaultDepthPercents"/>.</summary>
    public double[]? DepthPercents { get; set; }

    /// <summary>Slippage order sizes, in the quote currency; unset: <see cref="MetricBands.DefaultSlippageNotionals"/>.</summary>
    public double[]? SlippageNotionals { get; set; }

    /// <summary>A venue's book is flagged stale in the consolidated view when its <see cref="BookMetrics.AgeMs"/> is above this.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The bands these settings give.</summary>
    /// <exception cref="ArgumentException">The settings are not valid (<see cref="MetricsOptionsValidator"/> says why at start).</exception>
    public MetricBands Bands() => MetricBands.Create(EffectiveDepthPercents, EffectiveSlippageNotionals);

    internal IReadOnlyList<double> EffectiveDepthPercents => DepthPercents ?? MetricBands.DefaultDepthPercents;

    internal IReadOnlyList<double> EffectiveSlippageNotionals => SlippageNotionals ?? MetricBands.DefaultSlippageNotionals;
}

/// <summary>Checks <see cref="MetricsOptions"/> at start, naming what is wrong.</summary>
public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var errors = MetricBands.Check(options.EffectiveDepthPercents, options.EffectiveSlippageNotionals).Select(error => $"{MetricsOptions.SectionName}:{error}").ToList();
        if (options.StaleAfter <= TimeSpan.Zero || options.StaleAfter > TimeSpan.FromDays(1))
        {
            errors.Add($"{MetricsOptions.SectionName}:StaleAfter must be above 0 and at most 1 day (was {options.StaleAfter}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
