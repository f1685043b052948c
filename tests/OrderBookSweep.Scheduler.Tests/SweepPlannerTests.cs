using OrderBookSweep.Coordination;
using OrderBookSweep.Scheduler.Services;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>The sweep's order and validation: pure logic, milliseconds.</summary>
public sealed class SweepPlannerTests
{
    private static readonly ExchangeProfile[] Catalog =
    [
        new("binance", 50, ExchangeReach.Direct), new("bitstamp", 75, ExchangeReach.Direct), new("bybit", 20, ExchangeReach.Direct),
        new("kraken", 1000, ExchangeReach.Direct), new("okx", 110, ExchangeReach.Direct),
    ];

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
    public void Without_history_the_exchange_ccxt_paces_slowest_goes_first_and_duplicates_collapse()
    {
        var plan = SweepPlanner.Plan(["okx", "binance", "okx", "kraken"], Catalog, NoHistory);

        Assert.Equal(["kraken", "okx", "binance"], plan.Exchanges);
        Assert.Empty(plan.NotSimulated);
    }

    [Fact]
    public void Offline_a_default_sweep_covers_the_simulated_exchanges_and_names_the_others()
    {
        ExchangeProfile[] catalog =
        [
            new("binance", 50, ExchangeReach.Simulated), new("binanceus", 50, ExchangeReach.NotSimulated),
            new("coinbase", 34, ExchangeReach.NotSimulated), new("kraken", 1000, ExchangeReach.Simulated),
        ];

        var plan = SweepPlanner.Plan([], catalog, NoHistory);

        Assert.True(plan.IsValid);
        Assert.Equal(["kraken", "binance"], plan.Exchanges);
        Assert.Equal(["binanceus", "coinbase"], plan.NotSimulated);
    }

    [Fact]
    public void An_explicit_list_sweeps_what_it_names_with_the_ones_not_simulated_last()
    {
        ExchangeProfile[] catalog =
        [
            new("binance", 50, ExchangeReach.Simulated), new("coinbase", 34, ExchangeReach.NotSimulated),
            new("kraken", 1000, ExchangeReach.Simulated), new("zonda", 5000, ExchangeReach.NotSimulated),
        ];
        var durations = new Dictionary<string, TimeSpan> { ["binance"] = TimeSpan.FromSeconds(3), ["zonda"] = TimeSpan.FromSeconds(9) };

        var plan = SweepPlanner.Plan(["zonda", "binance", "coinbase", "kraken"], catalog, durations);

        Assert.Equal(["kraken", "binance", "zonda", "coinbase"], plan.Exchanges);
        Assert.Empty(plan.NotSimulated);
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
