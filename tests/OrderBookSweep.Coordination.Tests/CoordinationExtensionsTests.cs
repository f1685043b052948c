using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Metrics;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>AddSweepCoordination as the services call it: bound from configuration, validated at start.</summary>
public sealed class CoordinationExtensionsTests(GarnetServer server) : IClassFixture<GarnetServer>
{
    [Fact]
    public async Task Binds_the_Coordination_section_and_resolves_working_services()
    {
        using var host = await StartHostAsync(new()
        {
            ["Coordination:KeyPrefix"] = "di" + Guid.NewGuid().ToString("N")[..8],
            ["Coordination:MaxConcurrentExchanges"] = "2",
            ["Coordination:LeaseDuration"] = "00:00:06",
        });
        var options = host.Services.GetRequiredService<IOptions<CoordinationOptions>>().Value;
        Assert.Equal((2, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(2)), (options.MaxConcurrentExchanges, options.LeaseDuration, options.EffectiveRenewInterval));

        var sweeps = host.Services.GetRequiredService<SweepStore>();
        var start = await sweeps.StartSweepAsync(["binance"], false, null, null, default);
        await using var lease = await host.Services.GetRequiredService<JobQueue>().ClaimAsync("w", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(start.SweepId, lease.Job.SweepId);
        Assert.Same(sweeps, host.Services.GetRequiredService<SweepStore>());
    }

    [Fact]
    public async Task Invalid_settings_stop_the_host_at_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new()
        {
            ["Coordination:LeaseDuration"] = "00:00:00.100",
        }));
        Assert.Contains("Coordination:LeaseDuration", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task A_cap_out_of_range_stops_the_host_at_start_naming_its_key(string cap)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new()
        {
            ["Coordination:MaxConcurrentExchanges"] = cap,
        }));
        Assert.Equal($"Coordination:MaxConcurrentExchanges must be between 1 and 1000 (was {cap}).", error.Message);
    }

    [Fact]
    public async Task A_cap_that_is_no_number_stops_the_host_at_start_naming_its_key()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartHostAsync(new()
        {
            ["Coordination:MaxConcurrentExchanges"] = "five",
        }));
        Assert.Contains("'five' at 'Coordination:MaxConcurrentExchanges'", error.Message);
    }

    [Fact]
    public async Task Binds_the_Metrics_section_into_the_bands_every_book_reports()
    {
        using var host = await StartHostAsync(new()
        {
            ["Metrics:DepthPercents:0"] = "2",
            ["Metrics:DepthPercents:1"] = "0.5",
            ["Metrics:SlippageNotionals:0"] = "50000",
        });
        var bands = host.Services.GetRequiredService<MetricBands>();
        Assert.Equal([0.5, 2], bands.DepthPercents);
        Assert.Equal([50_000], bands.SlippageNotionals);

        using var defaults = await StartHostAsync([]);
        Assert.Equal(MetricBands.Default.DepthPercents, defaults.Services.GetRequiredService<MetricBands>().DepthPercents);
        Assert.Equal(TimeSpan.FromMinutes(1), defaults.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.StaleAfter);
    }

    [Theory]
    [InlineData("Metrics:DepthPercents:0", "150", "Metrics:DepthPercents: each value must be above 0 and at most 100 (was 150)")]
    [InlineData("Metrics:SlippageNotionals:0", "0", "Metrics:SlippageNotionals: each value must be above 0")]
    [InlineData("Metrics:StaleAfter", "00:00:00", "Metrics:StaleAfter must be above 0")]
    public async Task Invalid_metrics_settings_stop_the_host_at_start_naming_the_setting(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new() { [key] = value }));
        Assert.Contains(expected, error.Message);
    }

    private async Task<IHost> StartHostAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(server.ConnectionString));
        builder.Services.AddSweepCoordination(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
