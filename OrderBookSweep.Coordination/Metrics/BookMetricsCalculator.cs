using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
            // Per band its base and quote.
            var slots = 2 * bands.Percents.Length;
            Span<double> bidSums = stackalloc double[slots], askSums = stackalloc double[slots];
            Span<double> sells = stackalloc double[bands.Notionals.Length], buys = stackalloc double[bands.Notionals.Length];
            Span<double> bounds = stackalloc double[bands.Percents.Length];
            bidCount = Walk(bidLevels, terms, m, side: -1, bands.BidBoundKeys, bands.Notionals, bidSums, sells, bounds);
            askCount = Walk(askLevels, terms, m, side: 1, bands.AskBoundKeys, bands.Notionals, askSums, buys, bounds);
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

    // Above 0 and at most the largest double: positive and finite, NaN excluded. Price and amount
    // compared together, in one vector: as four comparisons and branches they were a quarter of the
    // walk's time. Inlined: a call in the walk would spill every running sum around it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Offers(OrderBookLevel level)
    {
        var both = Vector128.Create(level.Price, level.Amount);
        return (Vector128.GreaterThan(both, Vector128<double>.Zero) & Vector128.LessThanOrEqual(both, Vector128.Create(double.MaxValue))).ExtractMostSignificantBits() == 0b11;
    }

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
    /// sums them per depth band (base, quote: every level the band holds, in the book's order), and
    /// fills each notional (ascending), the last level partly, writing the average price paid:
    /// notional / base filled, or NaN where the side runs out first.
    /// </summary>
    /// <remarks>
    /// Both sides are compared as asks are: a level's key is its price times <paramref name="side"/>
    /// (−1 on bids), and band k holds the keys up to mid × <paramref name="boundKeys"/>[k]. In ccxt's
    /// order the keys only grow, so the levels a band holds are the side's first ones and its sums
    /// are the running sums the fill keeps anyway, read when the first level past the band comes:
    /// a level costs two additions and, for the band and the notionals, three comparisons. A
    /// level that belongs to a band already read (a book out of order) leaves the depth to <see
    /// cref="DepthInAnyOrder{TTerms}"/>, which adds the same doubles in the same order.
    /// </remarks>
    private static int Walk(
        ReadOnlySpan<OrderBookLevel> levels, LevelTerms terms, double mid, double side, ReadOnlySpan<double> boundKeys,
        ReadOnlySpan<double> notionals, Span<double> sums, Span<double> averages, Span<double> bounds)
    {
        for (var k = 0; k < bounds.Length; k++)
        {
            bounds[k] = mid * boundKeys[k];
        }

        averages.Fill(double.NaN);
        return terms switch
        {
            { IsInverse: true } => Walk<InverseTerms>(levels, terms.Size, side, bounds, notionals, sums, averages),
            { Size: 1 } => Walk<SpotTerms>(levels, terms.Size, side, bounds, notionals, sums, averages),
            _ => Walk<LinearTerms>(levels, terms.Size, side, bounds, notionals, sums, averages),
        };
    }

    private static int Walk<TTerms>(
        ReadOnlySpan<OrderBookLevel> levels, double size, double side, ReadOnlySpan<double> bounds,
        ReadOnlySpan<double> notionals, Span<double> sums, Span<double> averages)
        where TTerms : struct, ILevelTerms
    {
        var count = WalkInOrder<TTerms>(levels, size, side, bounds, notionals, sums, averages);
        if (count < 0)
        {
            DepthInAnyOrder<TTerms>(levels, size, side, bounds, sums);
            return ~count;
        }

        return count;
    }

    /// <summary>
    /// The walk itself, with no call in it: the JIT keeps a value that is live across a call on the
    /// stack, and would reload it at every level. Returns the count, or its complement when the levels
    /// came out of order and the band sums are left to <see cref="DepthInAnyOrder{TTerms}"/>.
    /// </summary>
    private static int WalkInOrder<TTerms>(
        ReadOnlySpan<OrderBookLevel> levels, double size, double side, ReadOnlySpan<double> bounds,
        ReadOnlySpan<double> notionals, Span<double> sums, Span<double> averages)
        where TTerms : struct, ILevelTerms
    {
        var (count, band, next) = (0, 0, 0);
        // The keys the walk expects next: above the last band read, up to the current band's bound.
        var (lower, upper) = (double.NegativeInfinity, bounds[0]);
        double filledQuote = 0, filledBase = 0, target = notionals[0];
        foreach (var level in levels)
        {
            if (!Offers(level))
            {
                continue;
            }

            var key = side * level.Price;
            if (key <= lower)
            {
                // Out of order: the bands are summed apart; the walk goes on for the notionals.
                band = -1;
                (lower, upper) = (double.NegativeInfinity, double.PositiveInfinity);
            }
            else if (key > upper)
            {
                for (; band < bounds.Length && key > bounds[band]; band++)
                {
                    (sums[2 * band], sums[2 * band + 1]) = (filledBase, filledQuote);
                }

                lower = bounds[band - 1];
                upper = band < bounds.Length ? bounds[band] : double.PositiveInfinity;
            }

            count++;
            var levelBase = TTerms.Base(level, size);
            var levelQuote = TTerms.Quote(level, size);

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

        if (band < 0)
        {
            return ~count;
        }

        for (; band < bounds.Length; band++)
        {
            (sums[2 * band], sums[2 * band + 1]) = (filledBase, filledQuote);
        }

        return count;
    }

    /// <summary>Per band, the base and quote of the levels it holds, added in the book's order: one pass per band.</summary>
    private static void DepthInAnyOrder<TTerms>(ReadOnlySpan<OrderBookLevel> levels, double size, double side, ReadOnlySpan<double> bounds, Span<double> sums)
        where TTerms : struct, ILevelTerms
    {
        for (var band = 0; band < bounds.Length; band++)
        {
            double bandBase = 0, bandQuote = 0;
            foreach (var level in levels)
            {
                if (Offers(level) && side * level.Price <= bounds[band])
                {
                    bandBase += TTerms.Base(level, size);
                    bandQuote += TTerms.Quote(level, size);
                }
            }

            (sums[2 * band], sums[2 * band + 1]) = (bandBase, bandQuote);
        }
    }

    /// <summary>The bands; null if a sum is not finite (an absurd level).</summary>
    private static DepthBand[]? Depth(ReadOnlySpan<double> percents, ReadOnlySpan<double> bidSums, ReadOnlySpan<double> askSums)
    {
        var depth = new DepthBand[percents.Length];
        for (var k = 0; k < depth.Length; k++)
        {
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

    // Inlined: called, it returns the nullable through memory, eight times a book.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
