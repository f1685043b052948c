using System.Collections.Concurrent;
using System.Globalization;
using OrderBookSweep.Coordination;
using StackExchange.Redis;

namespace OrderBookSweep.Harness.Rehearsals;


/// <summary>
/// The dress rehearsal: the whole system as deployed (3 worker replicas, cap 5, redis-server with
/// AOF, the rate limiter on with ccxt's limits times <see cref="RehearsalOptions.RateLimitScale"/>)
/// sweeps a simulated world, while its processes' memory, Redis, the message rates and the API's
/// latency are watched. One report per run; see <see cref="RehearsalReport.Format"/>.
/// </summary>
public static class Rehearsal
{
    public const int Cap = 5; // Coordination:MaxConcurrentExchanges' default
    public const int WorkerReplicas = 3;
    private const int SymbolConcurrency = 8; // Worker:SymbolConcurrency's default; the peer asks alike
    private const int BookKeysSampled = 500;

    public static async Task<RehearsalReport> RunAsync(RehearsalOptions options, TextWriter progress)
    {
        var scale = options.RateLimitScale.ToString(CultureInfo.InvariantCulture);
        var worker = new Dictionary<string, string>(options.Worker)
        {
            ["Exchanges:EnableRateLimit"] = "true",
            ["Exchanges:RateLimitScale"] = scale,
        };

        // The simulated exchanges' own limits are compressed alike (the realistic profile's answer past a rate).
        var simulator = new Dictionary<string, string>(options.Simulator) { ["RateLimitScale"] = scale };
        // A profile's own market counts, not the 8 spot symbols SweepSystem sets for tests (empty binds as unset).
        simulator.TryAdd("SymbolsPerExchange", "");
        await using var system = await SweepSystem.StartAsync("server", WorkerReplicas, simulator, worker, publishedWorker: options.PublishedWorker);
        var exchanges = options.Exchanges ?? await SystemSweep.CcxtExchangesAsync(system);
        using var redis = await RedisCommandStats.ConnectAdminAsync(system);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var commands = new RedisCommandStats(server);

        await using var memory = new MemoryWatch();
        await using var books = await BookStream.OpenAsync(system.Scheduler);
        await using var api = new ApiPoller(system.Scheduler, books);
        var sweeps = new List<RehearsalSweep>();
        for (var i = 0; i < options.Sweeps; i++)
        {
            progress.WriteLine($"sweep {i + 1} of {options.Sweeps}: {exchanges.Count} exchanges, RateLimitScale {scale}");
            memory.SweepStarting();
            var sseBefore = books.Books.Count;
            var commandsBefore = await commands.ReadAsync();
            var cpuBefore = SystemCpu.Read();
            var sweep = await SystemSweep.RunAsync(system, exchanges, options.SweepTimeout, mustSucceed: []);
            var cpu = SystemCpu.Difference(cpuBefore, SystemCpu.Read());
            var published = RedisCommandStats.Difference(commandsBefore, await commands.ReadAsync()).GetValueOrDefault("publish");
            sweeps.Add(RehearsalSweep.From(sweep, published, books.Books.Count - sseBefore, cpu));
        }

        var apiLatencies = await api.StopAsync();
        progress.WriteLine("the compare endpoints over the stored books");
        var compare = await CompareProbe.RunAsync(system.Scheduler, books.Books);
        var peak = memory.Stop();
        var redisMemory = await RedisMemoryAsync(server, redis.GetDatabase());

        PeerResult? peer = null;
        if (options.RunPeer)
        {
            progress.WriteLine("the seed peer on the same world");
            peer = await PeerRun.RunAsync(system.Simulator.BaseAddress!, enableRateLimit: true, Cap, SymbolConcurrency, passes: 1, exchanges, options.RateLimitScale);
        }

        return new RehearsalReport(
            options.RateLimitScale,
            string.Join(", ", options.Simulator.Select(s => $"{s.Key}={s.Value}")),
            string.Join(", ", options.Worker.Select(s => $"{s.Key}={s.Value}")),
            options.PublishedWorker is not null,
            exchanges.Count,
            sweeps,
            peer is null ? null : new RehearsalPeer(peer.Elapsed.TotalSeconds, peer.Books, peer.Failed, peer.Cpu.TotalMicroseconds / Math.Max(1, peer.Books)),
            peak,
            redisMemory,
            apiLatencies,
            compare);
    }

    /// <summary>used_memory, and what a stored book costs in Redis against its JSON, from a sample of the book keys.</summary>
    private static async Task<RedisMemory> RedisMemoryAsync(IServer server, IDatabase db)
    {
        var info = (await server.InfoAsync("memory")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        var prefix = new CoordinationOptions().KeyPrefix;
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: $"{prefix}:book:*", pageSize: 1000))
        {
            keys.Add(key);
        }

        long stored = 0, json = 0;
        var sampled = keys.Take(BookKeysSampled).ToList();
        foreach (var key in sampled)
        {
            stored += (long)await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");
            json += await db.StringLengthAsync(key);
        }

        return new RedisMemory(
            long.Parse(info["used_memory"], CultureInfo.InvariantCulture),
            keys.Count,
            sampled.Count == 0 ? 0 : (double)stored / sampled.Count,
            sampled.Count == 0 ? 0 : (double)json / sampled.Count);
    }
}
