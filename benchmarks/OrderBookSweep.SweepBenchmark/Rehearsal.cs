using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrderBookSweep.Coordination;
using OrderBookSweep.Testing;
using StackExchange.Redis;

namespace OrderBookSweep.SweepBenchmark;

/// <summary>What a rehearsal runs: the world, the throttle and which exchanges.</summary>
public sealed record RehearsalOptions
{
    /// <summary>Exchanges:RateLimitScale for the workers and the peer alike; every figure depends on it.</summary>
    public double RateLimitScale { get; init; } = 1;

    /// <summary>Simulator settings (Simulator:* without the prefix), e.g. a profile or symbol counts.</summary>
    public IReadOnlyDictionary<string, string> Simulator { get; init; } = new Dictionary<string, string>();

    /// <summary>More worker settings (configuration keys or environment variables), e.g. GC or Node settings to compare.</summary>
    public IReadOnlyDictionary<string, string> Worker { get; init; } = new Dictionary<string, string>();

    /// <summary>Null: every exchange ccxt has, as a real sweep; the simulator fails the ones it does not serve.</summary>
    public IReadOnlyList<string>? Exchanges { get; init; }

    public int Sweeps { get; init; } = 1;

    /// <summary>The seed peer on the same world and throttle, after the system's sweeps.</summary>
    public bool RunPeer { get; init; } = true;

    public TimeSpan SweepTimeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// The worker executable as its image runs it, compiled ahead of time
    /// (<see cref="Testing.PublishedWorker.PublishAsync"/>); null: the JIT-compiled build `dotnet run` starts.
    /// </summary>
    public string? PublishedWorker { get; init; }
}

/// <summary>
/// The dress rehearsal: the whole system as deployed (3 worker replicas, cap 5, redis-server with
/// AOF, the rate limiter on with ccxt's limits times <see cref="RehearsalOptions.RateLimitScale"/>)
/// sweeps a simulated world, while its processes' memory, Redis, the message rates and the API's
/// latency are watched. One report per run; see <see cref="RehearsalReport.Format"/>.
/// </summary>
public static class Rehearsal
{
    public const int Cap = 5; // Sweep:MaxConcurrentExchanges' default
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
            apiLatencies);
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

    /// <summary>
    /// Samples the resident memory of every process of the system twice a second: each process's
    /// peak (with the kernel's own high-water mark where the process is still alive), and each
    /// worker's peak together with its engine, summed at the same instant.
    /// </summary>
    private sealed class MemoryWatch : IAsyncDisposable
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentDictionary<int, (string Role, double MiB)> _peaks = new();
        private readonly ConcurrentDictionary<int, (double Worker, double Engine, int Sweep, double AtSeconds)> _replicaPeaks = new();
        private readonly Stopwatch _sweepClock = new();
        private int _sweep;
        private readonly ConcurrentDictionary<int, double> _replicaPrivatePeaks = new();
        private readonly Task _sampling;

        public MemoryWatch() => _sampling = Task.Run(SampleAsync);

        /// <summary>Marks the start of the next sweep, so that each replica's peak is placed in its sweep.</summary>
        public void SweepStarting()
        {
            Interlocked.Increment(ref _sweep);
            _sweepClock.Restart();
        }

        public MemoryPeaks Stop()
        {
            _stop.Cancel();
            _sampling.Wait();
            var processes = SystemCpu.Processes();
            foreach (var (pid, (role, mib)) in _peaks)
            {
                if (processes.ContainsKey(pid))
                {
                    _peaks[pid] = (role, Math.Max(mib, ProcFs.PeakRssMiB(pid)));
                }
            }

            var byRole = _peaks.Values.GroupBy(p => p.Role).ToDictionary(g => g.Key, g => g.Max(p => p.MiB));
            return new MemoryPeaks(
                byRole,
                [.. _replicaPeaks.Values.OrderByDescending(r => r.Worker + r.Engine).Select(r => new ReplicaMemory(r.Worker, r.Engine, r.Sweep, r.AtSeconds))],
                [.. _replicaPrivatePeaks.Values.OrderDescending()]);
        }

        private async Task SampleAsync()
        {
            using var timer = new PeriodicTimer(Interval);
            var processes = SystemCpu.Processes();
            var tick = 0;
            try
            {
                do
                {
                    if (++tick % 4 == 0)
                    {
                        processes = SystemCpu.Processes(); // engines restart, replicas come and go
                    }

                    var rss = processes.ToDictionary(p => p.Key, p => (Role: p.Value, MiB: ProcFs.RssMiB(p.Key)));
                    foreach (var (pid, now) in rss)
                    {
                        _peaks.AddOrUpdate(pid, now, (_, peak) => now.MiB > peak.MiB ? now : peak);
                    }

                    foreach (var (worker, _) in rss.Where(p => p.Value.Role == SystemCpu.Worker))
                    {
                        var engines = rss.Where(p => p.Value.Role == SystemCpu.Engine && ProcFs.ParentOf(p.Key) == worker).ToList();
                        var now = (Worker: rss[worker].MiB, Engine: engines.Sum(p => p.Value.MiB), Sweep: Volatile.Read(ref _sweep), AtSeconds: _sweepClock.Elapsed.TotalSeconds);
                        _replicaPeaks.AddOrUpdate(worker, now, (_, peak) => now.Worker + now.Engine > peak.Worker + peak.Engine ? now : peak);
                        var own = ProcFs.PrivateMiB(worker) + engines.Sum(p => ProcFs.PrivateMiB(p.Key));
                        _replicaPrivatePeaks.AddOrUpdate(worker, own, (_, peak) => Math.Max(own, peak));
                    }
                }
                while (await timer.WaitForNextTickAsync(_stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _sampling;
            _stop.Dispose();
        }
    }

    /// <summary>
    /// A client of the scheduler's API during the sweep: GET /api/sweeps/latest and GET of the latest
    /// book the stream announced, one after the other, ten times a second.
    /// </summary>
    private sealed class ApiPoller : IAsyncDisposable
    {
        private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentBag<double> _sweeps = [];
        private readonly ConcurrentBag<double> _books = [];
        private readonly Task _polling;
        private int _failures;

        public ApiPoller(HttpClient scheduler, BookStream stream) => _polling = Task.Run(() => PollAsync(scheduler, stream));

        public async Task<ApiLatencies> StopAsync()
        {
            await _stop.CancelAsync();
            await _polling;
            return new ApiLatencies(Percentiles.Of(_sweeps), Percentiles.Of(_books), _failures);
        }

        private async Task PollAsync(HttpClient scheduler, BookStream stream)
        {
            while (!_stop.IsCancellationRequested)
            {
                await TimeAsync(scheduler, "/api/sweeps/latest", _sweeps);
                if (stream.Books.TryPeek(out var book))
                {
                    await TimeAsync(scheduler, $"/api/orderbooks/{book.Exchange}/{Uri.EscapeDataString(book.Symbol)}", _books);
                }

                try
                {
                    await Task.Delay(Pause, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        private async Task TimeAsync(HttpClient scheduler, string path, ConcurrentBag<double> into)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await scheduler.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    into.Add(clock.Elapsed.TotalMilliseconds);
                    return;
                }

                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return; // no sweep yet, or a book that expired in between
                }
            }
            catch (HttpRequestException)
            {
            }

            Interlocked.Increment(ref _failures);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            _stop.Dispose();
        }
    }
}

/// <summary>One rehearsal run, measured in that run.</summary>
public sealed record RehearsalReport(
    double RateLimitScale,
    string World,
    string WorkerSettings,
    bool PublishedWorker,
    int Exchanges,
    IReadOnlyList<RehearsalSweep> Sweeps,
    RehearsalPeer? Peer,
    MemoryPeaks Memory,
    RedisMemory Redis,
    ApiLatencies Api)
{
    public IEnumerable<string> Format()
    {
        yield return $"Rehearsal {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Exchanges} exchanges, RateLimitScale {RateLimitScale.ToString(CultureInfo.InvariantCulture)}, "
            + $"{Rehearsal.WorkerReplicas} worker replicas ({(PublishedWorker ? "compiled ahead of time, as the image runs them" : "JIT-compiled build")}), cap {Rehearsal.Cap}, redis-server (AOF), simulator: {(World.Length == 0 ? "defaults" : World)}"
            + (WorkerSettings.Length == 0 ? "" : $", workers: {WorkerSettings}");
        yield return "sweep  time s  lower bound s  time/bound  longest exchange     sum/5 s  peer s  time/peer  books   books/s  pub/sub msg/s  SSE msg/s  CPU us/book (system | peer)";
        for (var i = 0; i < Sweeps.Count; i++)
        {
            var s = Sweeps[i];
            var peer = Peer is null ? "     -" : $"{Peer.Seconds,6:0.0}";
            var perPeer = Peer is null ? "        -" : $"{s.Seconds / Peer.Seconds,9:0.000}";
            yield return $"{i + 1,5}  {s.Seconds,6:0.0}  {s.LowerBoundSeconds,13:0.0}  {s.Seconds / s.LowerBoundSeconds,10:0.000}  {s.Longest,-12} {s.LongestSeconds,6:0.0}  {s.SumSeconds / Rehearsal.Cap,7:0.0}  {peer}  {perPeer}  "
                + $"{s.Books,6:N0}  {s.Books / s.Seconds,7:N0}  {s.Published / s.Seconds,13:N0}  {s.SseMessages / s.Seconds,9:N0}  {s.CpuMicrosecondsPerBook:N0} | {(Peer is null ? "-" : Peer.CpuMicrosecondsPerBook.ToString("N0", CultureInfo.InvariantCulture))}";
        }

        for (var i = 0; i < Sweeps.Count; i++)
        {
            yield return $"sweep {i + 1}: {Sweeps[i].Timeline}";
        }

        var last = Sweeps[^1];
        yield return "CPU us/book by process, last sweep: " + string.Join(", ", last.CpuMicrosecondsPerBookByRole.Select(r => $"{r.Key} {r.Value:N0}"))
            + " (every attempt at every exchange, the failed and retried ones included, over the books stored)";
        yield return "outcomes: " + string.Join(", ", last.Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))
            + $" (of {Exchanges}; last sweep)";
        yield return "per-symbol errors by class: " + (last.SymbolErrors.Count == 0 ? "none" : string.Join(", ", last.SymbolErrors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value:N0}")));
        yield return "exchanges failed as a whole, by class: " + (last.ExchangeErrors.Count == 0 ? "none" : string.Join(", ", last.ExchangeErrors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}")));
        if (Peer is not null)
        {
            yield return $"peer: {Peer.Books:N0} books, {Peer.Failed:N0} failed";
        }

        yield return "peak RSS MiB: " + string.Join(", ", Memory.ByRole.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value:N0}"))
            + $" ({SystemCpu.AppHost}: this process, which hosts the AppHost)";
        yield return "peak RSS MiB per replica, worker + its engine at the same instant: "
            + string.Join(", ", Memory.Replicas.Select(r => $"{r.WorkerMiB:N0} + {r.EngineMiB:N0} = {r.TotalMiB:N0} (sweep {r.Sweep}, {r.AtSeconds:0} s in)"))
            + "; of it private to the replica (not the runtime, libraries and node binary the replicas share): "
            + string.Join(", ", Memory.ReplicaPrivateMiB.Select(m => $"{m:N0}"));
        yield return $"Redis: used_memory {Redis.UsedMemoryBytes / 1048576.0:N1} MiB at the end, {Redis.BookKeys:N0} book keys, "
            + $"{Redis.MeanBookBytes:N0} bytes a stored book (MEMORY USAGE) against its JSON's {Redis.MeanBookJsonBytes:N0} ({Redis.MeanBookBytes / Math.Max(1, Redis.MeanBookJsonBytes):0.00}x)";
        yield return $"API during the sweeps, ms p50 / p99 (samples): GET /api/sweeps/latest {Api.SweepsLatest}; GET /api/orderbooks/... {Api.OrderBook}; failed requests {Api.Failures}";
        yield return "lower bound = max(longest exchange, sum of exchange times / 5), both from the sweep's own outcomes (permit to outcome, last attempt).";
    }
}

public sealed record RehearsalSweep(
    double Seconds,
    double LowerBoundSeconds,
    string Longest,
    double LongestSeconds,
    double SumSeconds,
    long Books,
    long Published,
    long SseMessages,
    double CpuMicrosecondsPerBook,
    IReadOnlyDictionary<string, double> CpuMicrosecondsPerBookByRole,
    IReadOnlyDictionary<ExchangeOutcomeKind, int> Outcomes,
    IReadOnlyDictionary<string, int> SymbolErrors,
    IReadOnlyDictionary<string, int> ExchangeErrors,
    string Timeline)
{
    internal static RehearsalSweep From(SweepResult sweep, long published, long sseMessages, IReadOnlyDictionary<string, TimeSpan> cpu)
    {
        var outcomes = sweep.Status.Outcomes;
        var longest = sweep.Durations.MaxBy(d => d.Value);
        var sum = sweep.Durations.Values.Sum(d => d.TotalSeconds);
        var wholeExchange = outcomes.Values.Where(o => o.Outcome == ExchangeOutcomeKind.DeadLettered).ToList();
        return new RehearsalSweep(
            sweep.Elapsed.TotalSeconds,
            Math.Max(longest.Value.TotalSeconds, sum / Rehearsal.Cap),
            longest.Key,
            longest.Value.TotalSeconds,
            sum,
            sweep.Books,
            published,
            sseMessages,
            SystemCpu.SystemRoles.Sum(r => cpu.GetValueOrDefault(r).TotalMicroseconds) / Math.Max(1, sweep.Books),
            SystemCpu.SystemRoles.ToDictionary(r => r, r => cpu.GetValueOrDefault(r).TotalMicroseconds / Math.Max(1, sweep.Books)),
            outcomes.Values.GroupBy(o => o.Outcome).ToDictionary(g => g.Key, g => g.Count()),
            outcomes.Values.Where(o => o.Outcome != ExchangeOutcomeKind.DeadLettered)
                .SelectMany(o => o.ErrorsByClass).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value)),
            wholeExchange.GroupBy(o => o.ErrorClass ?? "unknown").ToDictionary(g => g.Key, g => g.Count()),
            DescribeTimeline(sweep, longest.Key));
    }

    /// <summary>
    /// Where a late sweep's time went: when the longest exchange got its permit (longest first
    /// puts it at the start), and which exchange finished last, when it got its permit and on
    /// which attempt (a retried exchange's backoffs can run past the longest).
    /// </summary>
    private static string DescribeTimeline(SweepResult sweep, string longest)
    {
        var (lastId, last) = sweep.LastToFinish;
        return string.Create(CultureInfo.InvariantCulture,
            $"{longest} had its permit at {sweep.SecondsIn(sweep.Status.Outcomes[longest].StartedAt):0.0} s; last to finish {lastId} at {sweep.SecondsIn(last.FinishedAt):0.0} s (permit at {sweep.SecondsIn(last.StartedAt):0.0} s, attempt {last.Attempts})");
    }
}

public sealed record RehearsalPeer(double Seconds, long Books, long Failed, double CpuMicrosecondsPerBook);

/// <summary>
/// Peak resident MiB by role (the largest process of the role), per worker replica with its engine,
/// and per replica the peak of what only its two processes have (private pages).
/// </summary>
public sealed record MemoryPeaks(IReadOnlyDictionary<string, double> ByRole, IReadOnlyList<ReplicaMemory> Replicas, IReadOnlyList<double> ReplicaPrivateMiB);

/// <summary>A replica's peak: worker and engine MiB at that instant, and when it was (which sweep, seconds into it).</summary>
public sealed record ReplicaMemory(double WorkerMiB, double EngineMiB, int Sweep, double AtSeconds)
{
    public double TotalMiB => WorkerMiB + EngineMiB;
}

public sealed record RedisMemory(long UsedMemoryBytes, int BookKeys, double MeanBookBytes, double MeanBookJsonBytes);

public sealed record ApiLatencies(Percentiles SweepsLatest, Percentiles OrderBook, int Failures);

public sealed record Percentiles(int Samples, double P50, double P99)
{
    public static Percentiles Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        return sorted.Count == 0
            ? new Percentiles(0, 0, 0)
            : new Percentiles(sorted.Count, sorted[(int)(0.5 * (sorted.Count - 1))], sorted[(int)Math.Ceiling(0.99 * (sorted.Count - 1))]);
    }

    public override string ToString() => $"{P50:0.0} / {P99:0.0} ({Samples:N0})";
}
