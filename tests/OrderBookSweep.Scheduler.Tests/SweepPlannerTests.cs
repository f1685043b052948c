using OrderBookSweep.Scheduler.Services;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>The sweep's order and validation: pure logic, milliseconds.</summary>
public sealed class SweepPlannerTests
{
    private static readonly string[] Catalog = ["binance", "bitstamp", "bybit", "kraken", "okx"];

    private static readonly Dictionary<string, TimeSpan> NoHistory = [];

    [Fact]
    public void Longest_previous_duration_goes_first()
    {
        var durations = new Dictionary<string, TimeSpan>
        {
            ["binance"] = TimeSpan.FromSeconds(3),
            ["bitstamp"] = TimeSpan.FromSeconds(9),
            ["bybit"] = TimeSpan.FromSeconds(1),
            ["kraken"] = TimeSpan.FromSeconds(50),
            ["okx"] = TimeSpan.FromSeconds(4),
        };

        var plan = SweepPlanner.Plan([], Catalog, durations);

        Assert.True(plan.IsValid);
        Assert.Equal(["kraken", "bitstamp", "okx", "binance", "bybit"], plan.Exchanges);
    }

    [Fact]
    public void An_exchange_never_seen_ranks_as_longest_so_it_never_starts_last()
    {
        var durations = new Dictionary<string, TimeSpan>
        {
            ["binance"] = TimeSpan.FromSeconds(3),
            ["kraken"] = TimeSpan.FromSeconds(50),
        };

        var plan = SweepPlanner.Plan(["binance", "okx", "kraken"], Catalog, durations);

        Assert.Equal(["okx", "kraken", "binance"], plan.Exchanges);
    }

    [Fact]
    public void Without_history_the_order_is_alphabetical_and_duplicates_collapse()
    {
        var plan = SweepPlanner.Plan(["okx", "binance", "okx"], Catalog, NoHistory);

        Assert.Equal(["binance", "okx"], plan.Exchanges);
    }

    [Fact]
    public void Unknown_and_malformed_ids_are_named_and_make_the_plan_invalid()
    {
        var plan = SweepPlanner.Plan(["binance", "nosuchexchange", "Bad Id!", ""], Catalog, NoHistory);

        Assert.False(plan.IsValid);
        Assert.Equal(["nosuchexchange"], plan.Unknown);
        Assert.Equal(["Bad Id!", ""], plan.Malformed);
    }

    [Fact]
    public void An_empty_catalog_plans_nothing_and_is_invalid()
    {
        var plan = SweepPlanner.Plan([], [], NoHistory);

        Assert.Empty(plan.Exchanges);
        Assert.False(plan.IsValid);
    }
}
