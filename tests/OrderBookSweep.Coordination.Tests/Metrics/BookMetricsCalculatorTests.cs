using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Tests.Metrics;

/// <summary>Books small enough to work out by hand (or in closed form), every field checked.</summary>
public sealed class BookMetricsCalculatorTests
{
    private static readonly DateTimeOffset FetchedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_500);
    private static readonly MarketInfo Spot = new(MarketType.Spot, "BTC", "USDT", null, null, null, null);
    private static readonly MetricBands SmallBands = MetricBands.Create([0.1, 1], [100, 1_000]);

    [Fact]
    public void One_level_a_side()
    {
        var metrics = Compute([new(100, 2)], [new(101, 3)], Spot, SmallBands, timestamp: 1_700_000_000_000);

        Assert.Equal(100, metrics.BestBid);
        Assert.Equal(101, metrics.BestAsk);
        Assert.Equal(100.5, metrics.Mid);
        Close(99.50248756218905, metrics.SpreadBps); // 1 / 100.5 × 10,000
        Assert.Equal((1, 1, false, 1_500L), (metrics.BidLevels, metrics.AskLevels, metrics.Crossed, metrics.AgeMs));
        // 0.1% of 100.5 reaches 100.3995 and 100.6005: neither level; 1% reaches both.
        Depth(metrics, 0, 0.1, 0, 0, 0, 0);
        Depth(metrics, 1, 1, bidBase: 2, askBase: 3, bidQuote: 200, askQuote: 303);
        // 100 fills inside the best level on either side; 1,000 is more than either side holds.
        Slippage(metrics, 0, 100, buyBps: 49.75124378109452, sellBps: 49.75124378109452);
        Slippage(metrics, 1, 1_000, buyBps: null, sellBps: null);
    }

    [Fact]
    public void One_side_empty_gives_null_for_everything_that_needs_both()
    {
        var metrics = Compute([], [new(101, 3)], Spot, SmallBands, timestamp: null);

        Assert.Null(metrics.BestBid);
        Assert.Equal(101, metrics.BestAsk);
        Assert.Null(metrics.Mid);
        Assert.Null(metrics.SpreadBps);
        Assert.Null(metrics.Depth);
        Assert.Null(metrics.Slippage);
        Assert.Equal((0, 1, false), (metrics.BidLevels, metrics.AskLevels, metrics.Crossed));
        Assert.Null(metrics.AgeMs);
    }

    [Fact]
    public void A_crossed_book_has_a_negative_spread_and_negative_slippage()
    {
        var metrics = Compute([new(101, 1)], [new(100, 1)], Spot, SmallBands, timestamp: null);

        Assert.True(metrics.Crossed);
        Assert.Equal(100.5, metrics.Mid);
        Close(-99.50248756218905, metrics.SpreadBps);
        // Each level lies on the far side of the mid: inside every band.
        Depth(metrics, 0, 0.1, bidBase: 1, askBase: 1, bidQuote: 101, askQuote: 100);
        Depth(metrics, 1, 1, bidBase: 1, askBase: 1, bidQuote: 101, askQuote: 100);
        // A buy of 100 pays 100, below the mid; a sell of 100 gets 101, above it.
        Slippage(metrics, 0, 100, buyBps: -49.75124378109452, sellBps: -49.75124378109452);
        Slippage(metrics, 1, 1_000, buyBps: null, sellBps: null);
    }

    [Fact]
    public void A_level_whose_amount_is_zero_offers_nothing()
    {
        var metrics = Compute([new(100, 0), new(99, 1)], [new(101, 0), new(102, 2)], Spot, MetricBands.Default, timestamp: null);

        Assert.Equal(99, metrics.BestBid);
        Assert.Equal(102, metrics.BestAsk);
        Assert.Equal(100.5, metrics.Mid);
        Close(298.5074626865672, metrics.SpreadBps); // 3 / 100.5 × 10,000
        Assert.Equal((1, 1, false), (metrics.BidLevels, metrics.AskLevels, metrics.Crossed));
        // 1% reaches 99.495 and 101.505: neither level; 2% reaches 98.49 and 102.51: both.
        Depth(metrics, 0, 0.1, 0, 0, 0, 0);
        Depth(metrics, 1, 0.5, 0, 0, 0, 0);
        Depth(metrics, 2, 1, 0, 0, 0, 0);
        Depth(metrics, 3, 2, bidBase: 1, askBase: 2, bidQuote: 99, askQuote: 204);
        Depth(metrics, 5, 10, bidBase: 1, askBase: 2, bidQuote: 99, askQuote: 204);
        // 1,000 is more than either side holds (99 and 204).
        Assert.All(metrics.Slippage!, s => Assert.Equal((null, null), (s.BuyBps, s.SellBps)));
    }

    /// <summary>
    /// 2,500 levels a side, one unit each, a tick of 0.01 from half a tick off the mid of 100:
    /// the bids are 99.995, 99.985, ... and the asks 100.005, 100.015, .... Within p% lie the
    /// first 10p levels of each side, worth 100 × 10p ∓ 0.01 × (10p)² / 2 in quote.
    /// </summary>
    [Fact]
    public void Two_thousand_five_hundred_levels()
    {
        var bids = Enumerable.Range(0, 2_500).Select(i => new OrderBookLevel(100 - 0.01 * (i + 0.5), 1)).ToArray();
        var asks = Enumerable.Range(0, 2_500).Select(i => new OrderBookLevel(100 + 0.01 * (i + 0.5), 1)).ToArray();

        var metrics = Compute(bids, asks, Spot, MetricBands.Default, timestamp: null);

        Close(100, metrics.Mid);
        Close(1, metrics.SpreadBps);
        Assert.Equal((2_500, 2_500, false), (metrics.BidLevels, metrics.AskLevels, metrics.Crossed));
        Depth(metrics, 0, 0.1, bidBase: 10, askBase: 10, bidQuote: 999.5, askQuote: 1_000.5);
        Depth(metrics, 1, 0.5, bidBase: 50, askBase: 50, bidQuote: 4_987.5, askQuote: 5_012.5);
        Depth(metrics, 2, 1, bidBase: 100, askBase: 100, bidQuote: 9_950, askQuote: 10_050);
        Depth(metrics, 3, 2, bidBase: 200, askBase: 200, bidQuote: 19_800, askQuote: 20_200);
        Depth(metrics, 4, 5, bidBase: 500, askBase: 500, bidQuote: 48_750, askQuote: 51_250);
        Depth(metrics, 5, 10, bidBase: 1_000, askBase: 1_000, bidQuote: 95_000, askQuote: 105_000);
        // A buy of 1,000 takes 9 levels (900.405) and 99.595 of the 10th at 100.095:
        // 9 + 99.595 / 100.095 units for 1,000.
        Slippage(metrics, 0, 1_000, buyBps: 4.99775101204458, sellBps: 5.002751513332333);
        Slippage(metrics, 1, 10_000, buyBps: 49.75371909050202, sellBps: 50.25378159706518);
        Slippage(metrics, 2, 100_000, buyBps: 477.22569911534896, sellBps: 527.8641442937384);
        // Each side holds 250,000 ± 31,250 in quote.
        Slippage(metrics, 3, 1_000_000, buyBps: null, sellBps: null);
    }

    /// <summary>BTC/USDT:USDT, 0.001 BTC a contract: a level of n contracts at p holds n × 0.001 BTC worth p × n × 0.001 USDT.</summary>
    [Fact]
    public void A_linear_swap_counts_contracts_times_their_size_in_base()
    {
        var market = new MarketInfo(MarketType.Swap, "BTC", "USDT", "USDT", 0.001, Linear: true, Inverse: false);
        var metrics = Compute([new(50_000, 10)], [new(50_010, 20)], market, SmallBands, timestamp: null);

        Assert.Equal(50_005, metrics.Mid);
        Close(1.9998000199980004, metrics.SpreadBps);
        Depth(metrics, 0, 0.1, bidBase: 0.01, askBase: 0.02, bidQuote: 500, askQuote: 1_000.2);
        Depth(metrics, 1, 1, bidBase: 0.01, askBase: 0.02, bidQuote: 500, askQuote: 1_000.2);
        // 5 / 50,005 × 10,000 either way; the bids hold only 500 USDT.
        Slippage(metrics, 0, 100, buyBps: 0.9999000099990002, sellBps: 0.9999000099990002);
        Slippage(metrics, 1, 1_000, buyBps: 0.9999000099990002, sellBps: null);
    }

    /// <summary>BTC/USD:BTC, 100 USD a contract: a level of n contracts at p is worth n × 100 USD, which is n × 100 / p BTC.</summary>
    [Fact]
    public void An_inverse_swap_counts_contracts_times_their_size_in_quote()
    {
        var market = new MarketInfo(MarketType.Swap, "BTC", "USD", "BTC", 100, Linear: false, Inverse: true);
        var metrics = Compute([new(50_000, 10)], [new(50_010, 5)], market, SmallBands, timestamp: null);

        Assert.Equal(50_005, metrics.Mid);
        Close(1.9998000199980004, metrics.SpreadBps);
        Depth(metrics, 0, 0.1, bidBase: 0.02, askBase: 0.009998000399920015, bidQuote: 1_000, askQuote: 500);
        Slippage(metrics, 0, 100, buyBps: 0.9999000099990002, sellBps: 0.9999000099990002);
        // The asks hold only 500 USD; the bids exactly 1,000.
        Slippage(metrics, 1, 1_000, buyBps: null, sellBps: 0.9999000099990002);
    }

    [Fact]
    public void A_contract_of_unknown_size_or_kind_has_no_depth_or_slippage()
    {
        foreach (var market in new MarketInfo[]
        {
            new(MarketType.Future, "BTC", "USDT", "USDT", null, Linear: true, Inverse: false),
            new(MarketType.Swap, "BTC", "USDT", "USDT", 1, Linear: null, Inverse: null),
        })
        {
            var metrics = Compute([new(100, 1)], [new(101, 1)], market, SmallBands, timestamp: null);
            Assert.Equal(100.5, metrics.Mid);
            Assert.Null(metrics.Depth);
            Assert.Null(metrics.Slippage);
        }
    }

    [Fact]
    public void An_option_gives_spread_and_levels_but_no_depth_or_slippage()
    {
        var market = new MarketInfo(MarketType.Option, "BTC", "USD", "BTC", 1, Linear: false, Inverse: true);
        var metrics = Compute([new(0.05, 10), new(0.045, 3)], [new(0.055, 5)], market, MetricBands.Default, timestamp: 1_700_000_001_600);

        Assert.Equal((0.05, 0.055), (metrics.BestBid, metrics.BestAsk));
        Close(0.0525, metrics.Mid);
        Close(952.3809523809525, metrics.SpreadBps);
        Assert.Equal((2, 1, false), (metrics.BidLevels, metrics.AskLevels, metrics.Crossed));
        Assert.Null(metrics.Depth);
        Assert.Null(metrics.Slippage);
        // The exchange's clock ran ahead of ours: reported as it is.
        Assert.Equal(-100, metrics.AgeMs);
    }

    [Fact]
    public void Absurd_levels_give_null_rather_than_infinity()
    {
        var metrics = Compute([new(1e300, 1e300), new(1e-300, 1)], [new(1e300, 1e300)], Spot, SmallBands, timestamp: null);

        Assert.Equal(1e300, metrics.Mid);
        Assert.Null(metrics.Depth);
        Assert.All(metrics.Slippage!, s => Assert.True(s.BuyBps is null || double.IsFinite(s.BuyBps.Value)));
    }

    [Fact]
    public void Stored_and_served_the_computed_figures_keep_10_significant_digits_and_the_best_prices_their_own()
    {
        var metrics = Compute([new(100.123456789012, 2)], [new(101, 3)], Spot, SmallBands, timestamp: null);
        var json = System.Text.Json.JsonSerializer.Serialize(metrics, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

        Assert.Contains("\"bestBid\":100.123456789012,", json);
        Assert.Contains("\"mid\":100.5617284,", json);
        Assert.Contains("\"spreadBps\":87.16469227,", json);
        Assert.Contains("\"bidQuote\":200.2469136,", json);
        Assert.Contains("\"buyBps\":null", json);
        Assert.Equal(0.001234567891, Internal.MetricNumberJsonConverter.Round(0.00123456789123));
        Assert.Equal(12_345_678_901, Internal.MetricNumberJsonConverter.Round(12_345_678_901.4));
    }

    private static BookMetrics Compute(OrderBookLevel[] bids, OrderBookLevel[] asks, MarketInfo market, MetricBands bands, long? timestamp) =>
        BookMetricsCalculator.Compute(bids, asks, market, timestamp, FetchedAt, bands);

    private static void Depth(BookMetrics metrics, int index, double percent, double bidBase, double askBase, double bidQuote, double askQuote)
    {
        var band = metrics.Depth![index];
        Assert.Equal(percent, band.Percent);
        Close(bidBase, band.BidBase);
        Close(askBase, band.AskBase);
        Close(bidQuote, band.BidQuote);
        Close(askQuote, band.AskQuote);
    }

    private static void Slippage(BookMetrics metrics, int index, double notional, double? buyBps, double? sellBps)
    {
        var estimate = metrics.Slippage![index];
        Assert.Equal(notional, estimate.Notional);
        Close(buyBps, estimate.BuyBps);
        Close(sellBps, estimate.SellBps);
    }

    /// <summary>Equal to 1e-9 of the expected value: the hand figures are exact, the doubles are not.</summary>
    internal static void Close(double? expected, double? actual)
    {
        if (expected is not { } e)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.True(Math.Abs(actual.Value - e) <= 1e-9 * Math.Max(1, Math.Abs(e)), $"Expected {e}, got {actual}.");
    }
}
