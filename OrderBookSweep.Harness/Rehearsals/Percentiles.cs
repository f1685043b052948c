namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>The median and 99th percentile of some timings, in milliseconds, and how many there were.</summary>
public sealed record Percentiles(int Samples, double P50, double P99)
{
    public static Percentiles Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        return sorted.Count == 0
            ? new Percentiles(0, 0, 0)
            : new Percentiles(sorted.Count, sorted[(int)(0.5 * (sorted.Count - 1))], sorted[(int)Math.Ceiling(0.99 * (sorted.Count - 1))]);
    }

    public override string ToString() => $"{P50:0.0} / {P99:0.0} ({Samples:N0})";
}
