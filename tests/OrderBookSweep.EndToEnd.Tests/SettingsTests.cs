using Microsoft.Extensions.Configuration;
using OrderBookSweep.AppHost;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// The AppHost's own settings: a bad operator value fails start-up before anything starts, with a
/// message that names the setting; good values come through; the keys that moved are still read.
/// Plain unit tests: the AppHost calls <see cref="RenamedSettings.Apply"/> and
/// <see cref="AppHostSettings.From"/> first thing. What reaches the services, and the warning an old
/// key logs, are checked on the published manifest (Deployment.Tests' SettingsManifestTests).
/// </summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Redis:Mode", "cluster", "cluster")]
    [InlineData("AppHost:WorkerReplicas", "1000", "1000")]
    [InlineData("AppHost:WorkerReplicas", "0", "0")]
    [InlineData("AppHost:WorkerReplicas", "three", "three")]
    [InlineData("AppHost:Simulate", "maybe", "maybe")]
    [InlineData("Sweep:WorkerReplicas", "1000", "1000")]
    public void A_bad_value_fails_naming_the_setting(string setting, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse((setting, value)));

        Assert.StartsWith("Invalid OrderBookSweep settings", error.Message, StringComparison.Ordinal);
        Assert.Contains(setting.Replace("Sweep:", "AppHost:", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{named}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse(("Redis:Mode", "cluster"), ("AppHost:WorkerReplicas", "0")));

        Assert.Contains("Redis:Mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("AppHost:WorkerReplicas", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulating_and_redirecting_at_once_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse(("AppHost:Simulate", "true"), ("Exchanges:RedirectBaseUrl", "http://127.0.0.1:9")));

        Assert.Contains("set only one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_set_gives_the_defaults()
    {
        Assert.Equal(new AppHostSettings(RedisMode.Embedded, 3, null, false), Parse());
    }

    [Fact]
    public void Good_values_come_through()
    {
        var settings = Parse(("Redis:Mode", "Server"), ("AppHost:WorkerReplicas", "5"), ("Exchanges:RedirectBaseUrl", "https://mirror.example"));

        Assert.Equal(new AppHostSettings(RedisMode.Server, 5, "https://mirror.example", false), settings);
        Assert.True(Parse(("AppHost:Simulate", "true")).Simulate);
    }

    [Fact]
    public void The_services_sections_are_theirs_to_validate()
    {
        // The scheduler and the coordination library check these when they start; the AppHost
        // passes them on unread, so a value only they understand is not refused here.
        var settings = Parse(("Sweep:Interval", "soon"), ("Sweep:Exchanges", "Kraken!"), ("Coordination:MaxConcurrentExchanges", "0"));

        Assert.Equal(new AppHostSettings(RedisMode.Embedded, 3, null, false), settings);
    }

    [Fact]
    public void An_old_key_is_read_as_its_new_key()
    {
        var configuration = Configuration(("Sweep:WorkerReplicas", "5"), ("Sweep:Simulate", "true"), ("Sweep:MaxConcurrentExchanges", "7"));

        var used = RenamedSettings.Apply(configuration);

        Assert.Equal(
            [
                new RenamedSetting("Sweep:MaxConcurrentExchanges", "Coordination:MaxConcurrentExchanges", Ignored: false),
                new RenamedSetting("Sweep:WorkerReplicas", "AppHost:WorkerReplicas", Ignored: false),
                new RenamedSetting("Sweep:Simulate", "AppHost:Simulate", Ignored: false),
            ],
            used);
        Assert.Equal("7", configuration["Coordination:MaxConcurrentExchanges"]);
        Assert.Equal(new AppHostSettings(RedisMode.Embedded, 5, null, true), AppHostSettings.From(configuration));
    }

    [Fact]
    public void A_new_key_wins_over_its_old_key()
    {
        var configuration = Configuration(("Sweep:MaxConcurrentExchanges", "7"), ("Coordination:MaxConcurrentExchanges", "9"));

        var used = RenamedSettings.Apply(configuration);

        Assert.Equal([new RenamedSetting("Sweep:MaxConcurrentExchanges", "Coordination:MaxConcurrentExchanges", Ignored: true)], used);
        Assert.Equal("9", configuration["Coordination:MaxConcurrentExchanges"]);
    }

    [Fact]
    public void No_old_key_no_warning()
    {
        Assert.Empty(RenamedSettings.Apply(Configuration(("AppHost:WorkerReplicas", "5"), ("Sweep:Interval", "300"))));
    }

    private static AppHostSettings Parse(params (string Key, string Value)[] values)
    {
        var configuration = Configuration(values);
        RenamedSettings.Apply(configuration);
        return AppHostSettings.From(configuration);
    }

    private static ConfigurationManager Configuration(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
        return configuration;
    }
}
