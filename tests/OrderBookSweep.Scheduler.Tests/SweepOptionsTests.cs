using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>
/// The Sweep section, bound and validated by the scheduler at start: the one check of these
/// settings (the AppHost passes them through unread).
/// </summary>
public sealed class SweepOptionsTests
{
    [Theory]
    [InlineData("Sweep:Interval", "-00:05:00", "Sweep:Interval must be 0 (on demand only) or a positive time span")]
    [InlineData("Sweep:Exchanges", "binance,Kraken!", "Sweep:Exchanges has a malformed exchange id 'Kraken!'")]
    [InlineData("Sweep:MonitorInterval", "00:00:00.010", "Sweep:MonitorInterval must be between 100 ms and 1 minute")]
    public void A_bad_value_stops_the_scheduler_at_start_naming_the_setting(string key, string value, string expected)
    {
        using var app = new SchedulerApp();
        using var configured = app.WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var error = Assert.Throws<OptionsValidationException>(() => configured.Services);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("300", 300)]
    [InlineData("00:05:00", 300)]
    [InlineData("0", 0)]
    public void Interval_is_a_time_span_or_whole_seconds(string text, int seconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Sweep:Interval", text)]).Build();
        var options = configuration.GetSection(SweepOptions.SectionName).Get<SweepOptions>()!;
        SweepOptions.ReadIntervalInSeconds(options, configuration);

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.Interval);
    }

    [Fact]
    public void The_scheduler_reads_Interval_in_whole_seconds_as_seconds()
    {
        using var app = new SchedulerApp();
        using var configured = app.WithWebHostBuilder(builder => builder.UseSetting("Sweep:Interval", "300"));

        Assert.Equal(TimeSpan.FromMinutes(5), configured.Services.GetRequiredService<IOptions<SweepOptions>>().Value.Interval);
    }
}
