using Aspire.Hosting.Testing;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// Bad operator settings stop the AppHost before anything starts, with a message that names the
/// setting. Runs the real AppHost entry point; nothing is started. About 1 s each.
/// </summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("--Redis:Mode=cluster", "Redis:Mode")]
    [InlineData("--Sweep:Interval=soon", "Sweep:Interval")]
    [InlineData("--Sweep:Interval=-00:05:00", "Sweep:Interval")]
    [InlineData("--Sweep:MaxConcurrentExchanges=0", "Sweep:MaxConcurrentExchanges")]
    [InlineData("--Sweep:MaxConcurrentExchanges=five", "Sweep:MaxConcurrentExchanges")]
    [InlineData("--Sweep:WorkerReplicas=1000", "Sweep:WorkerReplicas")]
    [InlineData("--Sweep:Exchanges=binance,Kraken!", "Sweep:Exchanges")]
    [InlineData("--Exchanges:RedirectBaseUrl=ftp://example", "Exchanges:RedirectBaseUrl")]
    [InlineData("--Sweep:Simulate=maybe", "Sweep:Simulate")]
    public async Task A_bad_value_fails_start_up_naming_the_setting(string argument, string setting)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderBookSweep_AppHost>(
                [argument], (options, _) => options.DisableDashboard = true);
            await using var app = await builder.BuildAsync();
        });

        var message = Flatten(error);
        Assert.Contains(setting, message, StringComparison.Ordinal);
        Assert.Contains("Invalid OrderBookSweep settings", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bad_value_is_reported_at_once()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderBookSweep_AppHost>(
                ["--Redis:Mode=cluster", "--Sweep:WorkerReplicas=0"], (options, _) => options.DisableDashboard = true);
            await using var app = await builder.BuildAsync();
        });

        var message = Flatten(error);
        Assert.Contains("Redis:Mode", message, StringComparison.Ordinal);
        Assert.Contains("Sweep:WorkerReplicas", message, StringComparison.Ordinal);
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate
            ? string.Join(Environment.NewLine, aggregate.Flatten().InnerExceptions.Select(Flatten))
            : error.InnerException is { } inner ? error.Message + Environment.NewLine + Flatten(inner) : error.Message;
}
