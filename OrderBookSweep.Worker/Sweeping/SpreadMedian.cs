namespace OrderBookSweep.Worker.Sweeping;

/// <summary>
/// The spreads of one exchange's books as its fetch lanes store them, and their median: the
/// liquidity figure its outcome carries. One double per book (an exchange's few thousand books
/// cost tens of kilobytes); books without a spread (a side empty) are not counted.
/// </summary>
public sealed class SpreadMedian
{
    private readonly Lock _gate = new();
    private readonly List<double> _spreads = [];

    /// <summary>Counts a book's spread in basis points; null (no spread) or a non-finite value is ignored.</summary>
    public void Add(double? spreadBps)
    {
        if (spreadBps is not { } spread || !double.IsFinite(spread))
        {
            return;
        }

        lock (_gate)
        {
            _spreads.Add(spread);
        }
    }

    /// <summary>The middle spread, or the mean of the two middle ones for an even count; null with none counted.</summary>
    public double? Median
    {
        get
        {
            lock (_gate)
            {
                if (_spreads.Count == 0)
                {
                    return null;
                }

                _spreads.Sort();
                var middle = _spreads.Count / 2;
                return _spreads.Count % 2 == 1 ? _spreads[middle] : (_spreads[middle - 1] + _spreads[middle]) / 2;
            }
        }
    }
}
