using System.Runtime.CompilerServices;
using OrderBookSweep.Coordination.Internal;

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
        var bidLevels = ReadOnlyLists.AsSpan(bids);
        var askLevels = ReadOnlyLists.AsSpan(asks);
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
            // Per band its base and quote, and one slot past the last band that the walk adds the
            // levels outside every band to and nothing reads: no branch per level for them.
            var slots = 2 * (bands.Percents.Length + 1);
            Span<double> bidSums = stackalloc double[slots], askSums = stackalloc double[slots];
            Span<double> sells = stackalloc double[bands.Notionals.Length], buys = stackalloc double[bands.Notionals.Length];
            bidCount = Walk(bidLevels, terms, m, side: -1, bands.BidBoundKeys, bands.Notionals, bidSums, sells);
            askCount = Walk(askLevels, terms, m, side: 1, bands.AskBoundKeys, bands.Notionals, askSums, buys);
            depth = Depth(bands.Percents, bidSums, askSums);
            slippage = Slippage(bands.Notionals, m, buys, sells);
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

    // Above 0 and at most the largest double: positive and finite, NaN excluded. Inlined: a call in
    // the walk would spill every running sum around it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Offers(OrderBookLevel level) => level.Price is > 0 and <= double.MaxValue && level.Amount is > 0 and <= double.MaxValue;

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
    /// only and <see cref="Depth"/> sums the bands outwards. Both sides are compared as asks are:
    /// a level's key is its price times <paramref name="side"/> (−1 on bids), band k holds keys up to
    /// mid × <paramref name="boundKeys"/>[k], and the narrowest band is the first that does. The
    /// walk keeps the current band's key range and its sums in locals, and the next notional to
    /// reach: a level costs two comparisons for its band and one for the notionals. In ccxt's order
    /// the band only widens, a few times a side; a level out of order finds its band again.
    /// </remarks>
    private static int Walk(
        ReadOnlySpan<OrderBookLevel> levels, LevelTerms terms, double mid, double side, ReadOnlySpan<double> boundKeys,
        ReadOnlySpan<double> notionals, Span<double> sums, Span<double> averages) => terms switch
        {
            { IsInverse: true } => Walk<InverseTerms>(levels, terms.Size, mid, side, boundKeys, notionals, sums, averages),
            { Size: 1 } => Walk<SpotTerms>(levels, terms.Size, mid, side, boundKeys, notionals, sums, averages),
            _ => Walk<LinearTerms>(levels, terms.Size, mid, side, boundKeys, notionals, sums, averages),
        };

    private static int Walk<TTerms>(
        ReadOnlySpan<OrderBookLevel> levels, double size, double mid, double side, ReadOnlySpan<double> boundKeys,
        ReadOnlySpan<double> notionals, Span<double> sums, Span<double> averages)
        where TTerms : struct, ILevelTerms
    {
        Span<double> bounds = stackalloc double[boundKeys.Length];
        for (var k = 0; k < bounds.Length; k++)
        {
            bounds[k] = mid * boundKeys[k];
        }

        sums.Clear();
        averages.Fill(double.NaN);
        var (count, band, next) = (0, 0, 0);
        // The current band holds the keys in (lower, upper]; past the last band, upper is infinite.
        var (lower, upper) = (double.NegativeInfinity, bounds[0]);
        double bandBase = 0, bandQuote = 0, filledQuote = 0, filledBase = 0, target = notionals[0];
        foreach (var level in levels)
        {
            if (!Offers(level))
            {
                continue;
            }

            count++;
            var levelBase = TTerms.Base(level, size);
            var levelQuote = TTerms.Quote(level, size);
            var key = side * level.Price;
            if (key > upper || key <= lower)
            {
                (sums[2 * band], sums[2 * band + 1]) = (bandBase, bandQuote);
                band = 0;
                while (band < bounds.Length && key > bounds[band])
                {
                    band++;
                }

                (bandBase, bandQuote) = (sums[2 * band], sums[2 * band + 1]);
                lower = band > 0 ? bounds[band - 1] : double.NegativeInfinity;
                upper = band < bounds.Length ? bounds[band] : double.PositiveInfinity;
            }

            bandBase += levelBase;
            bandQuote += levelQuote;

            // Every notional reached inside this level: the part of it taken is (notional − filled) of
            // quote, which at this level's price is that over the price in base.
            var filled = filledQuote + levelQuote;
            if (filled >= target)
            {
                while (next < notionals.Length && filled >= notionals[next])
                {
                    averages[next] = notionals[next] / (filledBase + (notionals[next] - filledQuote) / level.Price);
                    next++;
                }

                target = next < notionals.Length ? notionals[next] : double.PositiveInfinity;
            }

            filledQuote = filled;
            filledBase += levelBase;
        }

        (sums[2 * band], sums[2 * band + 1]) = (bandBase, bandQuote);
        return count;
    }

    /// <summary>The bands summed outwards; null if a sum is not finite (an absurd level).</summary>
    private static DepthBand[]? Depth(ReadOnlySpan<double> percents, Span<double> bidSums, Span<double> askSums)
    {
        var depth = new DepthBand[percents.Length];
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

    private static SlippageEstimate[] Slippage(ReadOnlySpan<double> notionals, double mid, ReadOnlySpan<double> buys, ReadOnlySpan<double> sells)
    {
        var slippage = new SlippageEstimate[notionals.Length];
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
