using Microsoft.Extensions.DependencyInjection;
using OrderBookSweep.Coordination;
using OrderBookSweep.EmbeddedRedis;
using OrderBookSweep.Harness;
using OrderBookSweep.Scheduler.Services;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>What the scheduler orders sweeps by lives in Redis: a restarted scheduler orders as the old one would have.</summary>
public sealed class SchedulerRestartTests
{
    [Fact]
    public async Task Durations_recorded_before_a_restart_order_the_next_sweep()
    {
        using var redis = EmbeddedGarnetServer.Start();
        await using var workers = await CoordinationClient.ConnectAsync(redis.ConnectionString, CoordinationClient.TestOptions(CoordinationKeys.DefaultPrefix));
        await workers.Catalog.PublishAsync(
            [new("binance", 50, ExchangeReach.Direct), new("kraken", 1000, ExchangeReach.Direct), new("okx", 110, ExchangeReach.Direct)], default);

        using (var first = SchedulerApp.On(redis))
        {
            var started = await first.Services.GetRequiredService<SweepLauncher>().LaunchAsync(["kraken", "binance"], force: false, default);
            Assert.IsType<LaunchResult.Started>(started);
            var now = DateTimeOffset.UtcNow;
            foreach (var seconds in new[] { 5, 30 })
            {
                await using var lease = await workers.Queue.ClaimAsync("worker-1", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
                // kraken (first by rateLimit) took 5 s, binance 30 s.
                await lease.CompleteAsync(ExchangeOutcome.Swept(1, new Dictionary<string, int>(), now, now.AddSeconds(seconds)), default);
            }
        }

        using var restarted = SchedulerApp.On(redis);
        var next = Assert.IsType<LaunchResult.Started>(
            await restarted.Services.GetRequiredService<SweepLauncher>().LaunchAsync(["kraken", "okx", "binance"], force: false, default));

        // okx, never swept, first; then the swept ones longest first, by the durations the first scheduler recorded.
        var jobs = await workers.Database.ListRangeAsync(new CoordinationKeys(CoordinationKeys.DefaultPrefix).SweepJobs(next.SweepId));
        Assert.Equal(["okx", "binance", "kraken"], jobs.Select(j => j.ToString()));
    }
}
