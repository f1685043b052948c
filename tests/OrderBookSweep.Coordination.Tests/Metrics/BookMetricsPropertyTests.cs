using System.Globalization;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Tests.Metrics;

/// <summary>
/// What must hold for any book: depth does not fall as the band widens, slippage does not fall
/// as the order grows, and on an uncrossed book no order fills better than the best price.
/// Random books from fixed seeds: a failure names its seed and reproduces.
/// </summary>
public sealed class BookMetricsPropertyTests
{
    /// <summary>Slack for rounding: the properties are exact in real numbers, not in doubles.</summary>
    private const double Slack = 1e-9;

    private static readonly MetricBands Bands = MetricBands.Create([0.05, 0.1, 0.5, 1, 2, 5, 10, 25, 50, 100], [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7]);

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Depth_does_not_fall_as_the_percent_grows(int seed)
    {
        foreach (var (metrics, description) in RandomBooks(seed))
        {
            if (metrics.Depth is not { } depth)
            {
                continue;
            }

            for (var k = 1; k < depth.Count; k++)
            {
                var (narrow, wide) = (depth[k - 1], depth[k]);
                Assert.True(narrow.Percent < wide.Percent, description);
                Assert.True(wide.BidBase >= narrow.BidBase && wide.AskBase >= narrow.AskBase, description);
                Assert.True(wide.BidQuote >= narrow.BidQuote && wide.AskQuote >= narrow.AskQuote, description);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Slippage_does_not_fall_as_the_notional_grows(int seed)
    {
        foreach (var (metrics, description) in RandomBooks(seed))
        {
            if (metrics.Slippage is not { } slippage)
            {
                continue;
            }

            for (var i = 1; i < slippage.Count; i++)
            {
                var (small, large) = (slippage[i - 1], slippage[i]);
                Assert.True(small.Notional < large.Notional, description);
                NotBelow(small.BuyBps, large.BuyBps, description);
                NotBelow(small.SellBps, large.SellBps, description);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void On_an_uncrossed_book_no_order_fills_inside_the_spread(int seed)
    {
        foreach (var (metrics, description) in RandomBooks(seed))
        {
            if (metrics is not { Crossed: false, SpreadBps: { } spread, Slippage: { } slippage })
            {
                continue;
            }

            foreach (var estimate in slippage)
            {
                AtLeast(spread / 2, estimate.BuyBps, description);
                AtLeast(spread / 2, estimate.SellBps, description);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Depth_is_the_sum_of_the_levels_inside_each_band_whatever_their_order(int seed)
    {
        var random = new Random(seed);
        var market = new MarketInfo(MarketType.Spot, "B", "Q", null, null, null, null);
        for (var book = 0; book < 20; book++)
        {
            var mid = Math.Pow(10, random.NextDouble() * 12 - 6);
            var bids = Side(random, mid * 0.999, -1, mid);
            var asks = Side(random, mid * 1.001, +1, mid);
            // Exchanges' books are sorted, but nothing may rely on it: every other book shuffled.
            if (book % 2 == 1)
            {
                random.Shuffle(bids);
                random.Shuffle(asks);
            }

            var metrics = BookMetricsCalculator.Compute(bids, asks, market, null, DateTimeOffset.UnixEpoch, Bands);
            if (metrics.Depth is not { } depth || metrics.Mid is not { } m)
            {
                continue;
            }

            foreach (var band in depth)
            {
                var inBids = bids.Where(l => l.Amount > 0 && l.Price >= m * (1 - band.Percent / 100)).ToList();
                var inAsks = asks.Where(l => l.Amount > 0 && l.Price <= m * (1 + band.Percent / 100)).ToList();
                var description = $"seed {seed}, book {book}, band {band.Percent}%";
                Close(inBids.Sum(l => l.Amount), band.BidBase, description);
                Close(inAsks.Sum(l => l.Amount), band.AskBase, description);
                Close(inBids.Sum(l => l.Price * l.Amount), band.BidQuote, description);
                Close(inAsks.Sum(l => l.Price * l.Amount), band.AskQuote, description);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Depth_and_slippage_are_the_definitions_level_by_level_to_the_bit(int seed)
    {
        var random = new Random(seed);
        for (var book = 0; book < 50; book++)
        {
            var mid = Math.Pow(10, random.NextDouble() * 12 - 6);
            var cross = random.Next(10) == 0 ? -1 : 1;
            var bids = Side(random, mid - cross * mid * random.NextDouble() * 0.01, -1, mid);
            var asks = Side(random, mid + cross * mid * random.NextDouble() * 0.01, +1, mid);
            if (book % 3 == 2)
            {
                random.Shuffle(bids);
                random.Shuffle(asks);
            }

            var market = book % 2 == 0
                ? new MarketInfo(MarketType.Spot, "B", "Q", null, null, null, null)
                : new MarketInfo(MarketType.Future, "B", "Q", "B", Math.Pow(10, random.Next(0, 3)), Linear: false, Inverse: true);
            var metrics = BookMetricsCalculator.Compute(bids, asks, market, null, DateTimeOffset.UnixEpoch, Bands);
            if (metrics.Mid is not { } m)
            {
                continue;
            }

            var description = $"seed {seed}, book {book} ({bids.Length} bids, {asks.Length} asks{(book % 3 == 2 ? ", shuffled" : "")})";
            var (bidSums, sells) = Definitions(bids, market.Terms!.Value, m, bids: true);
            var (askSums, buys) = Definitions(asks, market.Terms!.Value, m, bids: false);
            var depth = metrics.Depth!;
            for (var k = 0; k < Bands.DepthPercents.Count; k++)
            {
                Assert.True(
                    Bits(bidSums[k].Base, bidSums[k].Quote, askSums[k].Base, askSums[k].Quote) == Bits(depth[k].BidBase, depth[k].BidQuote, depth[k].AskBase, depth[k].AskQuote),
                    $"{description}, band {depth[k].Percent}%");
            }

            var slippage = metrics.Slippage!;
            for (var i = 0; i < Bands.SlippageNotionals.Count; i++)
            {
                var (buy, sell) = ((buys[i] - m) / m * 10_000, (m - sells[i]) / m * 10_000);
                Assert.True(Bits(buy, sell) == Bits(slippage[i].BuyBps ?? double.NaN, slippage[i].SellBps ?? double.NaN), $"{description}, notional {Bands.SlippageNotionals[i]}");
            }
        }

        static string Bits(params double[] values) => string.Join(",", values.Select(v => double.IsNaN(v) ? "NaN" : BitConverter.DoubleToInt64Bits(v).ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>A level's base and quote as docs/metrics.md defines them: linear (spot: size 1) and inverse.</summary>
    private static double Base(LevelTerms terms, OrderBookLevel level) =>
        terms.IsInverse ? level.Amount * terms.Size / level.Price : level.Amount * terms.Size;

    private static double Quote(LevelTerms terms, OrderBookLevel level) =>
        terms.IsInverse ? level.Amount * terms.Size : level.Price * level.Amount * terms.Size;

    /// <summary>
    /// A side's depth per band and average fill per notional, straight from the definitions: per
    /// band, the levels it holds added in the book's order; each notional filled from the best
    /// level, its last level partly. The calculator adds the same doubles in the same order: equal to the bit.
    /// </summary>
    private static ((double Base, double Quote)[] Sums, double[] Averages) Definitions(OrderBookLevel[] levels, LevelTerms terms, double mid, bool bids)
    {
        var offering = levels.Where(l => l.Price > 0 && l.Amount > 0).ToList();
        var sums = Bands.DepthPercents.Select(percent =>
        {
            double sumBase = 0, sumQuote = 0;
            foreach (var level in offering)
            {
                if (bids ? level.Price >= mid * (1 - percent / 100) : level.Price <= mid * (1 + percent / 100))
                {
                    (sumBase, sumQuote) = (sumBase + Base(terms, level), sumQuote + Quote(terms, level));
                }
            }

            return (sumBase, sumQuote);
        }).ToArray();

        var averages = Bands.SlippageNotionals.Select(notional =>
        {
            double filledQuote = 0, filledBase = 0;
            foreach (var level in offering)
            {
                if (filledQuote + Quote(terms, level) >= notional)
                {
                    return notional / (filledBase + (notional - filledQuote) / level.Price);
                }

                filledQuote += Quote(terms, level);
                filledBase += Base(terms, level);
            }

            return double.NaN;
        });
        return (sums, averages.ToArray());
    }

    private static void Close(double expected, double actual, string description) =>
        Assert.True(Math.Abs(expected - actual) <= Slack * Math.Max(1, Math.Abs(expected)), $"{actual} is not {expected}: {description}");

    private static void NotBelow(double? smaller, double? larger, string description)
    {
        if (smaller is null)
        {
            Assert.True(larger is null, $"A larger notional filled where a smaller did not: {description}");
            return;
        }

        AtLeast(smaller.Value, larger, description);
    }

    private static void AtLeast(double bound, double? value, string description)
    {
        if (value is { } v)
        {
            Assert.True(v >= bound - Slack * Math.Max(1, Math.Abs(bound)), $"{v} < {bound}: {description}");
        }
    }

    /// <summary>
    /// Books of every kind the calculator meets: spot, linear and inverse contracts; prices from
    /// 1e-6 to 1e6; 0 to 400 levels a side, at times with zero amounts, crossed, or one-sided.
    /// </summary>
    private static IEnumerable<(BookMetrics Metrics, string Description)> RandomBooks(int seed)
    {
        var random = new Random(seed);
        for (var book = 0; book < 50; book++)
        {
            var mid = Math.Pow(10, random.NextDouble() * 12 - 6);
            var halfSpread = mid * random.NextDouble() * 0.01;
            // One book in ten crossed: its best bid above its best ask.
            var cross = random.Next(10) == 0 ? -1 : 1;
            var bids = Side(random, mid - cross * halfSpread, -1, mid);
            var asks = Side(random, mid + cross * halfSpread, +1, mid);
            var market = random.Next(3) switch
            {
                0 => new MarketInfo(MarketType.Spot, "B", "Q", null, null, null, null),
                1 => new MarketInfo(MarketType.Swap, "B", "Q", "Q", Math.Pow(10, random.Next(-4, 3)), Linear: true, Inverse: false),
                _ => new MarketInfo(MarketType.Future, "B", "Q", "B", Math.Pow(10, random.Next(0, 3)), Linear: false, Inverse: true),
            };
            var metrics = BookMetricsCalculator.Compute(bids, asks, market, null, DateTimeOffset.UnixEpoch, Bands);
            yield return (metrics, $"seed {seed}, book {book} ({market.MarketType}, {bids.Length} bids, {asks.Length} asks)");
        }
    }

    /// <summary>Levels from <paramref name="best"/> outwards (direction −1 for bids), in ccxt's order.</summary>
    private static OrderBookLevel[] Side(Random random, double best, int direction, double mid)
    {
        var count = random.Next(20) == 0 ? 0 : random.Next(1, 400);
        var levels = new OrderBookLevel[count];
        var price = best;
        for (var i = 0; i < count; i++)
        {
            var amount = random.Next(15) == 0 ? 0 : Math.Round(Math.Pow(10, random.NextDouble() * 5 - 2), 4);
            levels[i] = new OrderBookLevel(price, amount);
            var step = mid * random.NextDouble() * 0.002;
            price = direction < 0 ? Math.Max(price - step, price / 2) : price + step;
        }

        return levels;
    }
}
