using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// The Redis password (redis-server mode: a fresh one each run) appears in no resource's log and
/// in none of the telemetry the services export, after sweeps have run. Shares one boot with
/// <see cref="ApiInputTests"/>; about 10 s.
/// </summary>
[Collection(RunningSystem.Collection)]
public sealed class SecurityTests(RunningSystem fixture)
{
    [Fact]
    public async Task The_redis_password_is_never_logged_nor_exported_in_telemetry()
    {
        var system = fixture.System;
        var connectionString = await system.App.GetConnectionStringAsync("redis") ?? "";
        var password = connectionString.Split(',').Select(p => p.Trim())
            .Single(p => p.StartsWith("password=", StringComparison.OrdinalIgnoreCase))["password=".Length..];
        Assert.True(password.Length >= 16, "redis-server mode runs with a generated password");

        var sweep = await system.WaitForSweepAsync(await system.StartSweepAsync("binance", "kraken"), TimeSpan.FromMinutes(1));
        Assert.Equal(SweepState.Completed, sweep.State);
        await Eventually.UntilAsync(() => system.Telemetry.Saw("traces", "sweep-jobs process") && system.Telemetry.Saw("logs", "binance"), "a sweep's traces and logs");

        var logs = await ResourceLogsAsync(system.App);
        // Each service's log was read, and it is not empty (the check would pass on nothing).
        Assert.Contains(logs, l => l.Key.StartsWith("scheduler", StringComparison.Ordinal) && l.Value.Length > 0);
        Assert.Contains(logs, l => l.Key.StartsWith("worker", StringComparison.Ordinal) && l.Value.Length > 0);
        Assert.Contains(logs, l => l.Key.StartsWith("redis", StringComparison.Ordinal) && l.Value.Length > 0);
        foreach (var (resource, text) in logs)
        {
            Assert.False(text.Contains(password, StringComparison.Ordinal), $"{resource}'s log contains the Redis password");
        }
        foreach (var signal in new[] { "traces", "logs", "metrics" })
        {
            Assert.False(system.Telemetry.Saw(signal, password), $"exported {signal} contain the Redis password");
        }
    }

    /// <summary>Every resource's console log so far (Aspire keeps a backlog that a watch replays).</summary>
    private static async Task<Dictionary<string, string>> ResourceLogsAsync(DistributedApplication app)
    {
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        await using var processes = new SystemProcesses(app);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the watch replays every resource's current state
        var ids = new[] { "redis", "exchange-simulator", "worker", "scheduler" }.SelectMany(processes.ReplicaIds).ToList();
        var texts = await Task.WhenAll(ids.Select(async id =>
        {
            var text = new StringBuilder();
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var batch in loggers.WatchAsync(id).WithCancellation(quiet.Token))
                {
                    foreach (var line in batch)
                    {
                        text.AppendLine(line.Content);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The backlog is read; the watch would wait for new lines.
            }
            return text.ToString();
        }));
        return ids.Zip(texts).ToDictionary(p => p.First, p => p.Second);
    }
}
