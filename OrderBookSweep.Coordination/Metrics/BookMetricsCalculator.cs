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
        var (bestBid, bidCount) = Best(bidLevels);
        var (bestAsk, askCount) = Best(askLevels);

        double? mid = null, spreadBps = null;
        IReadOnlyList<DepthBand>? depth = null;
        IReadOnlyList<SlippageEstimate>? slippage = null;
        if (bestBid is { } bid && bestAsk is { } ask)
        {
            // Halves first: the sum of two large prices could overflow.
            var m = bid / 2 + ask / 2;
            mid = m;
            spreadBps = (ask - bid) / m * BasisPoints;
            if (market.Terms is { } terms)
            {
                depth = Depth(bidLevels, askLevels, m, terms, bands.DepthPercents);
                slippage = Slippage(bidLevels, askLevels, m, terms, bands.SlippageNotionals);
            }
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

    /// <summary>The first level's price that offers something, and how many do.</summary>
    private static (double? Best, int Count) Best(ReadOnlySpan<OrderBookLevel> levels)
    {
        double? best = null;
        var count = 0;
        foreach (var level in levels)
        {
            if (Offers(level))
            {
                best ??= level.Price;
                count++;
            }
        }

        return (best, count);
    }

    private static DepthBand[]? Depth(
        ReadOnlySpan<OrderBookLevel> bids, ReadOnlySpan<OrderBookLevel> asks, double mid, LevelTerms terms, IReadOnlyList<double> percents)
    {
        var bands = percents.Count;
        // Band k's bounds; a level inside band k is inside every wider band too, so each level is
        // added to its narrowest band only and the bands are summed outwards at the end.
        Span<double> floors = stackalloc double[bands], ceilings = stackalloc double[bands];
        for (var k = 0; k < bands; k++)
        {
            floors[k] = mid * (1 - percents[k] / 100);
            ceilings[k] = mid * (1 + percents[k] / 100);
        }

        Span<double> sums = stackalloc double[4 * bands]; // per band: bid base, ask base, bid quote, ask quote
        sums.Clear();
        foreach (var level in bids)
        {
            var k = 0;
            while (k < bands && level.Price < floors[k])
            {
                k++;
            }

            if (k < bands && Offers(level))
            {
                sums[4 * k] += terms.Base(level);
                sums[4 * k + 2] += terms.Quote(level);
            }
        }

        foreach (var level in asks)
        {
            var k = 0;
            while (k < bands && level.Price > ceilings[k])
            {
                k++;
            }

            if (k < bands && Offers(level))
            {
                sums[4 * k + 1] += terms.Base(level);
                sums[4 * k + 3] += terms.Quote(level);
            }
        }

        var depth = new DepthBand[bands];
        for (var k = 0; k < bands; k++)
        {
            if (k > 0)
            {
                for (var j = 0; j < 4; j++)
                {
                    sums[4 * k + j] += sums[4 * (k - 1) + j];
                }
            }

            if (!double.IsFinite(sums[4 * k]) || !double.IsFinite(sums[4 * k + 1]) || !double.IsFinite(sums[4 * k + 2]) || !double.IsFinite(sums[4 * k + 3]))
            {
                return null;
            }

            depth[k] = new DepthBand(percents[k], sums[4 * k], sums[4 * k + 1], sums[4 * k + 2], sums[4 * k + 3]);
        }

        return depth;
    }

    private static SlippageEstimate[] Slippage(
        ReadOnlySpan<OrderBookLevel> bids, ReadOnlySpan<OrderBookLevel> asks, double mid, LevelTerms terms, IReadOnlyList<double> notionals)
    {
        Span<double> buys = stackalloc double[notionals.Count], sells = stackalloc double[notionals.Count];
        Walk(asks, terms, notionals, buys);
        Walk(bids, terms, notionals, sells);
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

    /// <summary>
    /// Fills each notional (ascending) from the best level outwards, the last level partly, and
    /// writes the average price paid: notional / base filled. NaN where the side runs out first.
    /// </summary>
    private static void Walk(ReadOnlySpan<OrderBookLevel> levels, LevelTerms terms, IReadOnlyList<double> notionals, Span<double> averages)
    {
        averages.Fill(double.NaN);
        var next = 0;
        double filledQuote = 0, filledBase = 0;
        foreach (var level in levels)
        {
            if (!Offers(level))
            {
                continue;
            }

            var quote = terms.Quote(level);
            // Every notional reached inside this level: the part of it taken is (notional − filled) of
            // quote, which at this level's price is that over the price in base.
            while (next < notionals.Count && filledQuote + quote >= notionals[next])
            {
                averages[next] = notionals[next] / (filledBase + (notionals[next] - filledQuote) / level.Price);
                next++;
            }

            if (next == notionals.Count)
            {
                return;
            }

            filledQuote += quote;
            filledBase += terms.Base(level);
        }
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
