using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Tests.Metrics;

public sealed class ConsolidatedMarketTests
{
    private static readonly MarketInfo Spot = new(MarketType.Spot, "BTC", "USDT", null, null, null, null);
    private static readonly MetricBands Bands = MetricBands.Create([1, 2], [100]);

    [Fact]
    public void Best_prices_and_summed_depth_come_from_the_venues_not_flagged()
    {
        var fetchedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_100_000);
        MarketVenues[] symbols =
        [
            new("BTC/USDT",
            [
                Venue("binance", [new(100, 1)], [new(101, 2)], fetchedAt, null),
                Venue("okx", [new(100.5, 3)], [new(101.5, 1)], fetchedAt, fetchedAt.ToUnixTimeMilliseconds() - 500),
                // Crossed: its 102 bid is not a price anyone can sell at.
                Venue("kraken", [new(102, 1)], [new(101, 1)], fetchedAt, null),
            ]),
            new("BTC/USDC",
            [
                Venue("okx", [new(100.2, 1)], [new(100.8, 1)], fetchedAt, null),
                // Stale: the exchange had held this book for 2 minutes.
                Venue("bybit", [new(100.9, 1)], [new(100.95, 1)], fetchedAt, fetchedAt.ToUnixTimeMilliseconds() - 120_000),
            ]),
        ];

        var consolidated = ConsolidatedMarket.Of(symbols, TimeSpan.FromMinutes(1));

        Assert.Equal(5, consolidated.Venues);
        Assert.Equal(new VenuePrice(100.5, "okx", "BTC/USDT"), consolidated.BestBid);
        Assert.Equal(new VenuePrice(100.8, "okx", "BTC/USDC"), consolidated.BestAsk);
        Assert.Equal(
            [new FlaggedVenue("kraken", "BTC/USDT", Crossed: true, Stale: false, AgeMs: null), new FlaggedVenue("bybit", "BTC/USDC", Crossed: false, Stale: true, AgeMs: 120_000)],
            consolidated.Flagged);
        // Every trusted level lies within 1% of its own mid: each band sums all three venues.
        var band = consolidated.Depth[0];
        Assert.Equal((1.0, 3), (band.Percent, band.Venues));
        Assert.Equal((5.0, 4.0), (band.BidBase, band.AskBase));
        Assert.Equal(100 + 301.5 + 100.2, band.BidQuote, 9);
        Assert.Equal(202 + 101.5 + 100.8, band.AskQuote, 9);
        Assert.Equal(2, consolidated.Depth[1].Percent);
    }

    [Fact]
    public void No_venues_give_no_prices_and_no_bands()
    {
        var consolidated = ConsolidatedMarket.Of([], TimeSpan.FromMinutes(1));
        Assert.Equal((0, null, null), (consolidated.Venues, consolidated.BestBid, consolidated.BestAsk));
        Assert.Empty(consolidated.Depth);
        Assert.Empty(consolidated.Flagged);
    }

    private static MarketVenue Venue(string exchange, OrderBookLevel[] bids, OrderBookLevel[] asks, DateTimeOffset fetchedAt, long? timestamp) =>
        new(exchange, 1, fetchedAt, Spot, BookMetricsCalculator.Compute(bids, asks, Spot, timestamp, fetchedAt, Bands));
}
