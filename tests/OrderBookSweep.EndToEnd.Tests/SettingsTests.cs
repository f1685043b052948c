using Microsoft.Extensions.Configuration;
using OrderBookSweep.AppHost;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// The AppHost's settings parser: a bad operator value fails start-up before anything starts,
/// with a message that names the setting; good values come through. Plain unit tests: the
/// AppHost calls <see cref="SweepSettings.From"/> first thing.
/// </summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Redis:Mode", "cluster", "cluster")]
    [InlineData("Sweep:Interval", "soon", "soon")]
    [InlineData("Sweep:Interval", "-00:05:00", "-00:05:00")]
    [InlineData("Sweep:MaxConcurrentExchanges", "0", "0")]
    [InlineData("Sweep:MaxConcurrentExchanges", "1001", "1001")]
    [InlineData("Sweep:MaxConcurrentExchanges", "five", "five")]
    [InlineData("Sweep:WorkerReplicas", "1000", "1000")]
    [InlineData("Sweep:Exchanges", "binance,Kraken!", "Kraken!")]
    [InlineData("Exchanges:RedirectBaseUrl", "ftp://example", "ftp://example")]
    [InlineData("Sweep:Simulate", "maybe", "maybe")]
    public void A_bad_value_fails_naming_the_setting(string setting, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse((setting, value)));

        Assert.StartsWith("Invalid OrderBookSweep settings", error.Message, StringComparison.Ordinal);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{named}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse(("Redis:Mode", "cluster"), ("Sweep:WorkerReplicas", "0")));

        Assert.Contains("Redis:Mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sweep:WorkerReplicas", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulating_and_redirecting_at_once_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse(("Sweep:Simulate", "true"), ("Exchanges:RedirectBaseUrl", "http://127.0.0.1:9")));

        Assert.Contains("set only one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_set_gives_the_defaults()
    {
        var settings = Parse();

        Assert.Equal(
            new SweepSettings(RedisMode.Embedded, "", TimeSpan.Zero, new CoordinationOptions().MaxConcurrentExchanges, 3, null, false),
            settings);
    }

    [Fact]
    public void Good_values_come_through()
    {
        var settings = Parse(
            ("Redis:Mode", "Server"), ("Sweep:Exchanges", "binance, kraken"), ("Sweep:Interval", "300"),
            ("Sweep:MaxConcurrentExchanges", $"{CoordinationOptions.MaxConcurrentExchangesLimit}"), ("Sweep:WorkerReplicas", "5"),
            ("Exchanges:RedirectBaseUrl", "https://mirror.example"));

        Assert.Equal(
            new SweepSettings(RedisMode.Server, "binance, kraken", TimeSpan.FromMinutes(5), CoordinationOptions.MaxConcurrentExchangesLimit, 5, "https://mirror.example", false),
            settings);
        Assert.Equal(TimeSpan.FromMinutes(5), Parse(("Sweep:Interval", "00:05:00")).Interval);
    }

    private static SweepSettings Parse(params (string Key, string Value)[] values) =>
        SweepSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());
}
