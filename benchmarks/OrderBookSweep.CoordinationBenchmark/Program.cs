using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.EmbeddedRedis;
using OrderBookSweep.Harness;
using StackExchange.Redis;

// Coordination cost on this machine, against redis-server and embedded Garnet in one run:
// per job (claim + acquire + release + complete) and semaphore hand-off latency (release to
// the next waiting acquirer proceeding). Prints numbers; sets no pass/fail bar.
const int Jobs = 2000;
const int HandOffs = 500;

await using var redisServer = await RedisServer.StartAsync();
using var garnet = EmbeddedGarnetServer.Start();
Console.WriteLine($"{Environment.ProcessorCount} cores, {Jobs} jobs, {HandOffs} hand-offs per server");
Console.WriteLine($"{"server",-14} {"job p50 ms",10} {"job p99 ms",10} {"jobs/s",8} {"hand-off p50 ms",16} {"hand-off p99 ms",16} {"max ms",8}");
foreach (var (name, connectionString) in new[] { ("redis-server", redisServer.ConnectionString), ("garnet", garnet.ConnectionString) })
{
    var perJob = await Benchmarks.PerJobAsync(connectionString, Jobs);
    var handOff = await Benchmarks.HandOffAsync(connectionString, HandOffs);
    Console.WriteLine($"{name,-14} {perJob.P50,10:F3} {perJob.P99,10:F3} {perJob.PerSecond,8:F0} {handOff.P50,16:F3} {handOff.P99,16:F3} {handOff.Max,8:F3}");
}

internal static class Benchmarks
{
    /// <summary>One worker: claim a job, take a permit, release it, complete the job; the whole cycle per job.</summary>
    public static async Task<Stats> PerJobAsync(string connectionString, int jobs)
    {
        var options = Options.Create(new CoordinationOptions { KeyPrefix = $"bench-{Guid.NewGuid():N}" });
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var sweeps = new SweepStore(redis, options);
        var queue = new JobQueue(redis, options);
        var semaphore = new ExchangeSemaphore(redis, options);
        var exchanges = Enumerable.Range(0, jobs + 200).Select(i => $"ex{i:D5}").ToList();
        await sweeps.StartSweepAsync(exchanges, force: false, null, null, default);
        var outcome = ExchangeOutcome.Swept(1, new Dictionary<string, int>(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        var samples = new List<double>(jobs);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < exchanges.Count; i++)
        {
            if (i == 200)
            {
                // The first 200 warm up the JIT and the server's script cache.
                total.Restart();
            }

            var start = Stopwatch.GetTimestamp();
            var lease = await queue.ClaimAsync("bench-worker", default);
            await (await semaphore.AcquireAsync("bench-worker", lease.Job.Exchange, default)).DisposeAsync();
            await lease.CompleteAsync(outcome, default);
            if (i >= 200)
            {
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        return Stats.Of(samples, jobs / total.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Two workers on separate connections pass one permit (cap 1) back and forth: the time from
    /// the holder starting to release to the waiter's AcquireAsync returning.
    /// </summary>
    public static async Task<Stats> HandOffAsync(string connectionString, int handOffs)
    {
        var options = Options.Create(new CoordinationOptions { KeyPrefix = $"bench-{Guid.NewGuid():N}", MaxConcurrentExchanges = 1 });
        await using var first = await ConnectionMultiplexer.ConnectAsync(connectionString);
        await using var second = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var semaphores = new[] { new ExchangeSemaphore(first, options), new ExchangeSemaphore(second, options) };
        var waiters = new CoordinationKeys(options.Value.KeyPrefix).PermitWaiters;
        var samples = new List<double>(handOffs);
        var held = await semaphores[0].AcquireAsync("worker-0", "binance", default);
        for (var i = 0; i < handOffs + 50; i++)
        {
            var next = i % 2 == 0 ? 1 : 0;
            var acquire = semaphores[next].AcquireAsync($"worker-{next}", "binance", default);
            // Release only once the other worker is queued as a waiter: a true hand-off.
            while (await first.GetDatabase().SortedSetLengthAsync(waiters) == 0)
            {
                await Task.Delay(1);
            }

            var released = Stopwatch.GetTimestamp();
            await held.DisposeAsync();
            held = await acquire;
            if (i >= 50)
            {
                samples.Add(Stopwatch.GetElapsedTime(released).TotalMilliseconds);
            }
        }

        await held.DisposeAsync();
        return Stats.Of(samples, 0);
    }
}

internal sealed record Stats(double P50, double P99, double Max, double PerSecond)
{
    public static Stats Of(List<double> samples, double perSecond)
    {
        samples.Sort();
        return new Stats(samples[samples.Count / 2], samples[(int)(samples.Count * 0.99)], samples[^1], perSecond);
    }
}
