using System.Runtime.InteropServices;

namespace OrderBookSweep.Coordination.Metrics;

/// <summary>
/// Computes a book's <see cref="BookMetrics"/>: a pure function of its levels, market and times,
/// one pass over each side. Definitions, units and formulas: docs/metrics.md.
/// </summary>
/// <remarks>
/// The levels are in ccxt's order (bids highest first, asks lowest first): the first level
/// with a positive amount is the best price, and the slippage walk goes from it outwards. A level
/// whose price or amount is not above 0 offers nothing: it is skipped by every metric and not
/// counted. A number that would not be finite (an absurd level) is left out as null, never
/// written as infinity.
/// </remarks>
public static class BookMetricsCalculator
{
    private const double BasisPoints = 10_000;

    /// <summary>The metrics of one book.</summary>
    /// <param name="bids">Bids, highest price first.</param>
    /// <param name="asks">Asks, lowest price first.</param>
    /// <param name="market">The market the book is of: its type and contract terms decide what a level holds.</param>
    /// <param name="exchangeTimestamp">The exchange's time of the book in Unix ms, if it sent one.</param>
    /// <param name="fetchedAt">When the book was fetched.</param>
    /// <param name="bands">The depth percents and slippage notionals to report.</param>
    public static BookMetrics Compute(
        IReadOnlyList<OrderBookLevel> bids,
        IReadOnlyList<OrderBookLevel> asks,
        MarketInfo market,
        long? exchangeTimestamp,
        DateTimeOffset fetchedAt,
        MetricBands bands)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(bands);
        var bidLevels = AsSpan(bids);
        var askLevels = AsSpan(asks);
        var bestBid = Best(bidLevels);
        var bestAsk = Best(askLevels);

        double? mid = null, spreadBps = null;
        if (bestBid is { } bid && bestAsk is { } ask)
        {
            // Halves first: the sum of two large prices could overflow.
            mid = bid / 2 + ask / 2;
            spreadBps = (ask - bid) / mid * BasisPoints;
        }

        IReadOnlyList<DepthBand>? depth = null;
        IReadOnlyList<SlippageEstimate>? slippage = null;
        int bidCount, askCount;
        if (mid is { } m && market.Terms is { } terms)
        {
            var percents = bands.DepthPercents;
            var notionals = bands.SlippageNotionals;
            // Spans, not the lists: the passes below read them at every level.
            Span<double> notionalSpan = stackalloc double[notionals.Count];
            Span<double> bidBounds = stackalloc double[percents.Count], askBounds = stackalloc double[percents.Count];
            for (var i = 0; i < notionals.Count; i++)
            {
                notionalSpan[i] = notionals[i];
            }

            // Band k's bound: bids priced at least mid × (1 − p/100), asks at most mid × (1 + p/100).
            for (var k = 0; k < percents.Count; k++)
            {
                bidBounds[k] = m * (1 - percents[k] / 100);
                askBounds[k] = m * (1 + percents[k] / 100);
            }

            Span<double> bidSums = stackalloc double[2 * percents.Count], askSums = stackalloc double[2 * percents.Count];
            Span<double> sells = stackalloc double[notionals.Count], buys = stackalloc double[notionals.Count];
            bidCount = Walk(bidLevels, terms, bidBounds, bids: true, notionalSpan, bidSums, sells);
            askCount = Walk(askLevels, terms, askBounds, bids: false, notionalSpan, askSums, buys);
            depth = Depth(percents, bidSums, askSums);
            slippage = Slippage(notionals, m, buys, sells);
        }
        else
        {
            bidCount = Count(bidLevels);
            askCount = Count(askLevels);
        }

        return new BookMetrics(
            bestBid,
            bestAsk,
            mid,
            spreadBps,
            depth,
            slippage,
            bidCount,
            askCount,
            Crossed: bestBid >= bestAsk,
            AgeMs: exchangeTimestamp is > 0 and var timestamp ? fetchedAt.ToUnixTimeMilliseconds() - timestamp : null);
    }

    private static ReadOnlySpan<OrderBookLevel> AsSpan(IReadOnlyList<OrderBookLevel> levels) => levels switch
    {
        null => throw new ArgumentNullException(nameof(levels)),
        OrderBookLevel[] array => array,
        List<OrderBookLevel> list => CollectionsMarshal.AsSpan(list),
        _ => levels.ToArray(),
    };

    private static bool Offers(OrderBookLevel level) => level.Price > 0 && level.Amount > 0 && level.IsFinite;

    /// <summary>The first level's price that offers something.</summary>
    private static double? Best(ReadOnlySpan<OrderBookLevel> levels)
    {
        foreach (var level in levels)
        {
            if (Offers(level))
            {
                return level.Price;
            }
        }

        return null;
    }

    private static int Count(ReadOnlySpan<OrderBookLevel> levels)
    {
        var count = 0;
        foreach (var level in levels)
        {
            if (Offers(level))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// One pass over a side, from the best level outwards: counts the levels that offer something,
    /// sums each into the narrowest depth band that holds it (per band: base, quote), and fills
    /// each notional (ascending), the last level partly, writing the average price paid: notional
    /// / base filled, or NaN where the side runs out first.
    /// </summary>
    /// <remarks>
    /// A level inside band k is inside every wider band too, so it is added to its narrowest band
    /// only and <see cref="Depth"/> sums the bands outwards. In ccxt's order a side's narrowest
    /// band only widens level by level, so the band search starts from the last level's; a level
    /// out of order moves it back.
    /// </remarks>
    private static int Walk(
        ReadOnlySpan<OrderBookLevel> levels, LevelTerms terms, ReadOnlySpan<double> bounds, bool bids,
        ReadOnlySpan<double> notionals, Span<double> sums, Span<double> averages)
    {
        sums.Clear();
        averages.Fill(double.NaN);
        var (count, band, next) = (0, 0, 0);
        double filledQuote = 0, filledBase = 0;
        // The current band's sums, kept in locals while the walk stays in that band (as most levels
        // do) and put back when it moves: an add to memory per level would wait on the last one.
        double bandBase = 0, bandQuote = 0;
        foreach (var level in levels)
        {
            if (!Offers(level))
            {
                continue;
            }

            count++;
            var levelBase = terms.Base(level);
            var levelQuote = terms.Quote(level);
            if (band == bounds.Length || !Inside(level.Price, bounds[band], bids) || (band > 0 && Inside(level.Price, bounds[band - 1], bids)))
            {
                if (band < bounds.Length)
                {
                    (sums[2 * band], sums[2 * band + 1]) = (bandBase, bandQuote);
                }

                while (band > 0 && Inside(level.Price, bounds[band - 1], bids))
                {
                    band--;
                }

                while (band < bounds.Length && !Inside(level.Price, bounds[band], bids))
                {
                    band++;
                }

                if (band < bounds.Length)
                {
                    (bandBase, bandQuote) = (sums[2 * band], sums[2 * band + 1]);
                }
            }

            if (band < bounds.Length)
            {
                bandBase += levelBase;
                bandQuote += levelQuote;
            }

            // Every notional reached inside this level: the part of it taken is (notional − filled) of
            // quote, which at this level's price is that over the price in base.
            while (next < notionals.Length && filledQuote + levelQuote >= notionals[next])
            {
                averages[next] = notionals[next] / (filledBase + (notionals[next] - filledQuote) / level.Price);
                next++;
            }

            filledQuote += levelQuote;
            filledBase += levelBase;
        }

        if (band < bounds.Length)
        {
            (sums[2 * band], sums[2 * band + 1]) = (bandBase, bandQuote);
        }

        return count;
    }

    private static bool Inside(double price, double bound, bool bids) => bids ? price >= bound : price <= bound;

    /// <summary>The bands summed outwards; null if a sum is not finite (an absurd level).</summary>
    private static DepthBand[]? Depth(IReadOnlyList<double> percents, Span<double> bidSums, Span<double> askSums)
    {
        var depth = new DepthBand[percents.Count];
        for (var k = 0; k < depth.Length; k++)
        {
            if (k > 0)
            {
                bidSums[2 * k] += bidSums[2 * (k - 1)];
                bidSums[2 * k + 1] += bidSums[2 * (k - 1) + 1];
                askSums[2 * k] += askSums[2 * (k - 1)];
                askSums[2 * k + 1] += askSums[2 * (k - 1) + 1];
            }

            if (!double.IsFinite(bidSums[2 * k]) || !double.IsFinite(askSums[2 * k]) || !double.IsFinite(bidSums[2 * k + 1]) || !double.IsFinite(askSums[2 * k + 1]))
            {
                return null;
            }

            depth[k] = new DepthBand(percents[k], bidSums[2 * k], askSums[2 * k], bidSums[2 * k + 1], askSums[2 * k + 1]);
        }

        return depth;
    }

    private static SlippageEstimate[] Slippage(IReadOnlyList<double> notionals, double mid, ReadOnlySpan<double> buys, ReadOnlySpan<double> sells)
    {
        var slippage = new SlippageEstimate[notionals.Count];
        for (var i = 0; i < slippage.Length; i++)
        {
            slippage[i] = new SlippageEstimate(
                notionals[i],
                Finite((buys[i] - mid) / mid * BasisPoints),
                Finite((mid - sells[i]) / mid * BasisPoints));
        }

        return slippage;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
