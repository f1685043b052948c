using System.Globalization;

namespace OrderBookSweep.Coordination.Metrics;

/// <summary>
/// The depth percents and slippage notionals every book's metrics report, checked and sorted
/// ascending. Built once, from the service's settings, and shared by every book.
/// </summary>
public sealed class MetricBands
{
    /// <summary>Kaiko's bands, 0.1% to 10% of the mid.</summary>
    public static readonly IReadOnlyList<double> DefaultDepthPercents = [0.1, 0.5, 1, 2, 5, 10];

    /// <summary>1,000 to 1,000,000 in the quote currency.</summary>
    public static readonly IReadOnlyList<double> DefaultSlippageNotionals = [1_000, 10_000, 100_000, 1_000_000];

    /// <summary>At most this many of each: every one is written into every stored book.</summary>
    public const int MaxCount = 16;

    /// <summary>The largest notional: far past any book, and still exact in a double.</summary>
    public const double MaxNotional = 1e15;

    public static MetricBands Default { get; } = Create(DefaultDepthPercents, DefaultSlippageNotionals);

    private readonly double[] _depthPercents, _slippageNotionals, _bidBoundKeys, _askBoundKeys;

    private MetricBands(double[] depthPercents, double[] slippageNotionals)
    {
        (_depthPercents, _slippageNotionals) = (depthPercents, slippageNotionals);
        _bidBoundKeys = [.. depthPercents.Select(p => -(1 - p / 100))];
        _askBoundKeys = [.. depthPercents.Select(p => 1 + p / 100)];
    }

    /// <summary>Percents of the mid, ascending, each in (0, 100].</summary>
    public IReadOnlyList<double> DepthPercents => _depthPercents;

    /// <summary>Quote-currency notionals, ascending, each in (0, <see cref="MaxNotional"/>].</summary>
    public IReadOnlyList<double> SlippageNotionals => _slippageNotionals;

    internal ReadOnlySpan<double> Percents => _depthPercents;

    internal ReadOnlySpan<double> Notionals => _slippageNotionals;

    /// <summary>
    /// Per band, its bound on the bids' side as a multiple of the mid, negated: −(1 − p/100). Bids
    /// count when price ≥ mid × (1 − p/100), that is −price ≤ mid × −(1 − p/100), the same
    /// comparison of the same doubles (negation is exact), ascending like the asks' bounds.
    /// </summary>
    internal ReadOnlySpan<double> BidBoundKeys => _bidBoundKeys;

    /// <summary>Per band, its bound on the asks' side as a multiple of the mid: 1 + p/100 (asks count when price ≤ mid × that).</summary>
    internal ReadOnlySpan<double> AskBoundKeys => _askBoundKeys;

    /// <summary>The bands, sorted; see <see cref="Check"/> for what is refused.</summary>
    /// <exception cref="ArgumentException">A value is out of range, repeated, or there are none or too many.</exception>
    public static MetricBands Create(IEnumerable<double> depthPercents, IEnumerable<double> slippageNotionals)
    {
        ArgumentNullException.ThrowIfNull(depthPercents);
        ArgumentNullException.ThrowIfNull(slippageNotionals);
        var percents = depthPercents.Order().ToArray();
        var notionals = slippageNotionals.Order().ToArray();
        var errors = Check(percents, notionals);
        return errors.Count == 0 ? new MetricBands(percents, notionals) : throw new ArgumentException(string.Join(" ", errors));
    }

    /// <summary>
    /// What is wrong with these bands, if anything: each list holds 1 to <see cref="MaxCount"/>
    /// distinct values; percents in (0, 100], notionals in (0, <see cref="MaxNotional"/>].
    /// </summary>
    public static IReadOnlyList<string> Check(IReadOnlyCollection<double> depthPercents, IReadOnlyCollection<double> slippageNotionals)
    {
        var errors = new List<string>();
        CheckList(errors, "DepthPercents", depthPercents, 100);
        CheckList(errors, "SlippageNotionals", slippageNotionals, MaxNotional);
        return errors;
    }

    private static void CheckList(List<string> errors, string name, IReadOnlyCollection<double> values, double max)
    {
        if (values.Count is 0 or > MaxCount)
        {
            errors.Add($"{name} must hold 1 to {MaxCount} values (held {values.Count}).");
        }

        foreach (var value in values)
        {
            if (!(value > 0 && value <= max))
            {
                errors.Add($"{name}: each value must be above 0 and at most {max.ToString(CultureInfo.InvariantCulture)} (was {value.ToString(CultureInfo.InvariantCulture)}).");
            }
        }

        if (values.Distinct().Count() != values.Count)
        {
            errors.Add($"{name} must not repeat a value.");
        }
    }
}
