using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;
using OrderBookSweep.Scheduler.Apis;

namespace OrderBookSweep.Scheduler.Tests;

public sealed class VenueOrderTests
{
    private static readonly MarketInfo Spot = new(MarketType.Spot, "BTC", "USDT", null, null, null, null);
    private static readonly DateTimeOffset FetchedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_100_000);

    // a: tight and thin; b: wide and deep; c: one-sided (no spread, no depth, no slippage).
    private static readonly MarketVenue[] Venues =
    [
        Venue("c", [], [new(101, 100)], timestamp: null),
        Venue("b", [new(99, 100)], [new(101, 100)], timestamp: 1_700_000_099_000),
        Venue("a", [new(99.9, 1)], [new(100.1, 1)], timestamp: 1_700_000_099_900),
    ];

    [Theory]
    [InlineData(null, "a,b,c")]
    [InlineData("spreadBps", "a,b,c")]
    [InlineData("depth:2", "b,a,c")]
    [InlineData("slippage:1000", "b,a,c")]
    [InlineData("age", "a,b,c")]
    public void Venues_come_best_first_and_those_without_the_figure_last(string? sort, string expected)
    {
        Assert.True(VenueOrder.TryParse(sort, out var order));
        Assert.Equal(expected, string.Join(",", order.Sort(Venues).Select(v => v.Exchange)));
    }

    [Theory]
    [InlineData("loudest")]
    [InlineData("depth")]
    [InlineData("depth:")]
    [InlineData("depth:-1")]
    [InlineData("depth:NaN")]
    [InlineData("spreadBps:2")]
    [InlineData("slippage:x")]
    public void Anything_else_is_refused(string sort) => Assert.False(VenueOrder.TryParse(sort, out _));

    private static MarketVenue Venue(string exchange, OrderBookLevel[] bids, OrderBookLevel[] asks, long? timestamp) =>
        new(exchange, 1, FetchedAt, Spot, BookMetricsCalculator.Compute(bids, asks, Spot, timestamp, FetchedAt, MetricBands.Default));
}
