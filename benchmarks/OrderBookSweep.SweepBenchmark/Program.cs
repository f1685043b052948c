using System.Globalization;
using System.Reflection;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Harness;
using OrderBookSweep.Harness.Rehearsals;
using OrderBookSweep.SweepBenchmark;
using StackExchange.Redis;

// A sweep through the whole system (scheduler, queue, semaphore, worker replicas, the real ccxt)
// against its single-process peer (peer.js) and against its lower bound, same simulator, same
// exchanges, same cap of 5. Prints tables and appends them to results/<date>.txt; no pass/fail.
// Usage: dotnet run -c Release --project benchmarks/OrderBookSweep.SweepBenchmark [-- --no-scaling] [--worker KEY=VALUE ...]
// The dress rehearsal (OrderBookSweep.Harness/Rehearsals/Rehearsal.cs) instead: -- --rehearsal [--rate-limit-scale 0.1,0.2] [--profile NAME]
//   [--symbols N] [--exchanges a,b,c] [--sweeps N] [--no-peer] [--worker KEY=VALUE ...]
// Both run the worker as its image does, compiled ahead of time (published first, about a minute
// and a half the first time); --jit-worker runs the JIT-compiled build instead.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
// The AppHost forwards every line the services log to this console; keep warnings and errors:
// relaying thousands of lines a second would take CPU from the system being measured.
Environment.SetEnvironmentVariable("Logging__LogLevel__OrderBookSweep.AppHost.Resources", "Warning");
Environment.SetEnvironmentVariable("Logging__LogLevel__System.Net.Http", "Warning");
var scaling = !args.Contains("--no-scaling");
var publishedWorker = args.Contains("--jit-worker")
    ? null
    : await PublishedWorker.PublishAsync(Path.Combine(PublishedWorker.RepositoryRoot, "OrderBookSweep.Worker", "bin", "published"), Console.Out);

if (args.Contains("--rehearsal"))
{
    await RunRehearsalsAsync(args, publishedWorker);
    return;
}

// ccxt's list order: the order the peer takes them in.
string[] exchanges = ["binance", "bitstamp", "bybit", "kraken", "kucoin", "okx"];
const int Cap = 5; // Coordination:MaxConcurrentExchanges' default, and the peer's gather width
const int SymbolConcurrency = 8; // Worker:SymbolConcurrency's default; the peer asks alike
const int Rounds = 3;
const int WarmUpSweeps = 5;
const int PeerPasses = 2; // the peer reports its last pass: warm, like the system's long-running engines
const string RedisMode = "server"; // redis-server with AOF, as deployed; INFO commandstats counts its commands
var sweepTimeout = TimeSpan.FromMinutes(5);

// (a) Enough books that a sweep lasts seconds, not the start-up of one exchange.
const int ThroughputSymbols = 1000;
var throughputSimulator = new Dictionary<string, string> { ["SymbolsPerExchange"] = $"{ThroughputSymbols}", ["Depth"] = "100" };
// Worker settings to compare (--worker KEY=VALUE, repeatable; a configuration key or an environment variable).
var workerSettings = WorkerSettings(args);
var rateLimiterOff = new Dictionary<string, string>(workerSettings) { ["Exchanges:EnableRateLimit"] = "false" };

// (b) Spot market counts of the real exchanges, roughly, divided by 32 so that kraken (ccxt
// spaces its book requests about 1.2 s apart) takes about 30 s.
var realisticSymbols = new Dictionary<string, int>
{
    ["binance"] = 47,
    ["kucoin"] = 31,
    ["kraken"] = 25,
    ["okx"] = 22,
    ["bybit"] = 19,
    ["bitstamp"] = 6,
};
var realisticSimulator = realisticSymbols.ToDictionary(s => $"Exchanges:{s.Key}:Symbols", s => $"{s.Value}");

var report = new Report();
report.Line($"Sweep benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores, {MemTotalGiB():0} GiB, {Environment.OSVersion}, .NET {Environment.Version}");
report.Line($"{exchanges.Length} simulated exchanges ({string.Join(", ", exchanges)}), cap {Cap}, {SymbolConcurrency} books in flight per exchange, Redis: redis-server (AOF on), "
    + $"workers {(publishedWorker is null ? "JIT-compiled build" : "compiled ahead of time, as the image runs them")}"
    + (workerSettings.Count > 0 ? $", workers: {string.Join(", ", workerSettings.Select(kv => $"{kv.Key}={kv.Value}"))}" : ""));

// (a) rate limiter off: books per second, system / peer; the extras measured on the 3-replica system.
report.Line();
report.Line($"(a) rate limiter off: {ThroughputSymbols:N0} symbols x {exchanges.Length} exchanges, 100-level books; {Rounds} rounds of peer then system, after warm-up (peer 1 pass, system {WarmUpSweeps} sweeps);");
report.Line("    the peer sweeps twice per Node process and reports its second (warm) pass, like the system's long-running engines");
report.Line("replicas  round  system s  system books/s  peer s  peer books/s  system/peer  load avg");
var throughputRuns = new List<ThroughputRun>();
foreach (var replicas in scaling ? new[] { 3, 1, 2, 4 } : [3])
{
    var run = await RunThroughputAsync(replicas, measureRedis: replicas == 3);
    throughputRuns.Add(run);
    for (var i = 0; i < run.Sweeps.Count; i++)
    {
        var (sweep, peer) = (run.Sweeps[i], run.Peers[i]);
        report.Line($"{replicas,8}  {i + 1,5}  {sweep.Elapsed.TotalSeconds,8:0.00}  {sweep.BooksPerSecond,14:N0}  {peer.Elapsed.TotalSeconds,6:0.00}  {peer.BooksPerSecond,12:N0}  {sweep.BooksPerSecond / peer.BooksPerSecond,11:0.00}  {run.LoadAverages[i],8:0.0}");
    }
}

var detailed = throughputRuns[0];

// CPU per book does not depend on how busy the shared machine is, unlike books per second.
report.Line();
report.Line($"CPU per book, (a), over the {Rounds} measured rounds of each; the shared processes (simulator, DCP, this process: AppHost and telemetry sink)");
report.Line("serve whichever runs and are not counted in either side's total (peer side: both of its passes, Node start included):");
report.Line("replicas  peer us  system us  system/peer  system by process (us)  |  shared, during the system / during the peer (us)");
foreach (var run in throughputRuns)
{
    var peerCpu = run.Peers.Sum(p => p.Cpu.TotalMicroseconds) / run.Peers.Sum(p => p.Books);
    var systemBooks = run.Sweeps.Sum(s => s.Books);
    var peerSideBooks = (double)PeerPasses * run.Peers.Sum(p => p.Books);
    var systemCpu = SystemCpu.SystemRoles.Sum(r => run.SystemCpu.GetValueOrDefault(r).TotalMicroseconds) / systemBooks;
    var byRole = string.Join(", ", SystemCpu.SystemRoles
        .Select(r => $"{r} {run.SystemCpu.GetValueOrDefault(r).TotalMicroseconds / systemBooks:N0}"));
    var shared = string.Join(", ", SystemCpu.SharedRoles
        .Select(r => $"{r} {run.SystemCpu.GetValueOrDefault(r).TotalMicroseconds / systemBooks:N0} / {run.PeerSideCpu.GetValueOrDefault(r).TotalMicroseconds / peerSideBooks:N0}"));
    report.Line($"{run.Replicas,8}  {peerCpu,7:N0}  {systemCpu,9:N0}  {systemCpu / peerCpu,11:0.00}  {byRole}  |  {shared}");
}

report.Line();
report.Line($"Redis commands per book, (a) with 3 replicas, all clients, INFO commandstats over the {Rounds} measured sweeps:");
var books = detailed.Sweeps.Sum(s => s.Books);
report.Line($"  total {detailed.RedisCommands.Values.Sum() / (double)books:0.00} per book ({detailed.RedisCommands.Values.Sum():N0} commands, {books:N0} books)");
foreach (var (command, calls) in detailed.RedisCommands.OrderByDescending(c => c.Value).Take(8))
{
    report.Line($"  {command,-16} {calls / (double)books,6:0.00}");
}

report.Line();
report.Line("Memory of each worker with its engine, resident, after (a) with 3 replicas:");
report.Line("worker                      worker MiB  node engine MiB  total MiB");
foreach (var memory in detailed.Memory)
{
    report.Line($"{memory.WorkerId,-26}  {memory.WorkerMiB,10:N0}  {memory.EngineMiB,15:N0}  {memory.TotalMiB,9:N0}");
}

// (b) ccxt's real rate limits: sweep time versus the lower bound and versus the peer.
report.Line();
report.Line($"(b) ccxt rate limits on, symbols: {string.Join(", ", realisticSymbols.Select(s => $"{s.Key} {s.Value}"))}; 3 replicas; a warm-up sweep first (longest-first needs the last durations)");
var limited = await RunRateLimitedAsync(3);
var others = limited.Exchanges.Except(exchanges).ToList();
report.Line($"    a full sweep of ccxt's {limited.Exchanges.Count} exchanges; the {others.Count} the simulator does not serve fail fast (404s), the peer taking them in ccxt's order");
report.Line("round  system s  peer s  lower bound s  system/bound  system/peer  longest: started at s  last to finish  load avg");
for (var i = 0; i < limited.Sweeps.Count; i++)
{
    var (sweep, peer) = (limited.Sweeps[i], limited.Peers[i]);
    var bound = LowerBound(peer.Durations.Values);
    // Longest first: the longest exchange should hold a permit within a moment of the sweep's creation.
    var longest = peer.Durations.MaxBy(d => d.Value).Key;
    var longestStart = sweep.SecondsIn(sweep.Status.Outcomes[longest].StartedAt);
    report.Line($"{i + 1,5}  {sweep.Elapsed.TotalSeconds,8:0.00}  {peer.Elapsed.TotalSeconds,6:0.00}  {bound.TotalSeconds,13:0.00}  {sweep.Elapsed / bound,12:0.000}  {sweep.Elapsed / peer.Elapsed,11:0.000}  {longest,10} {longestStart,11:0.00}  {sweep.LastToFinish.Key,14}  {limited.LoadAverages[i],8:0.0}");
}

report.Line("lower bound = max(longest exchange, total work / 5), each exchange's duration as the peer measured it in the same round.");
report.Line("each exchange's duration, mean of the rounds (system: from its permit; its last attempt where it retried):");
report.Line("  peer   " + string.Join(", ", exchanges.Select(e => $"{e} {limited.Peers.Average(p => p.Durations[e].TotalSeconds):0.00} s"))
    + $"; the other {others.Count} together {limited.Peers.Average(p => others.Sum(e => p.Durations[e].TotalSeconds)):0.00} s");
report.Line("  system " + string.Join(", ", exchanges.Select(e => $"{e} {limited.Sweeps.Average(s => s.Durations[e].TotalSeconds):0.00} s"))
    + $"; the other {others.Count} together {limited.Sweeps.Average(s => others.Sum(e => s.Durations.GetValueOrDefault(e).TotalSeconds)):0.00} s");
var worst = limited.WorstOrderPeer;
report.Line($"peer given the longest exchange last: {worst.Result.Elapsed.TotalSeconds:0.00} s, system/peer {limited.Sweeps.Average(s => s.Elapsed.TotalSeconds) / worst.Result.Elapsed.TotalSeconds:0.000} (system: mean of the rounds)");
report.Line($"peer: {limited.Peers[0].Runtime}");

report.Line();
report.Line($"raw output appended to {report.AppendTo(ResultsDirectory())}");

async Task<ThroughputRun> RunThroughputAsync(int replicas, bool measureRedis)
{
    await using var system = await SweepSystem.StartAsync(RedisMode, replicas, throughputSimulator, rateLimiterOff, publishedWorker: publishedWorker);
    using var redis = await RedisCommandStats.ConnectAdminAsync(system);
    var commands = new RedisCommandStats(redis.GetServer(redis.GetEndPoints()[0]));

    // Warm-up: JIT, connection pools, the simulator's books. The .NET services take three sweeps to
    // settle (tiered compilation: ~12 s, ~7 s, ~5 s, then ~3-4 s a sweep, measured; CPU per book
    // keeps falling a little longer, so two more), V8 one pass.
    await PeerRun.RunAsync(system.Simulator.BaseAddress!, enableRateLimit: false, Cap, SymbolConcurrency, passes: 1, exchanges);
    for (var warmUp = 0; warmUp < WarmUpSweeps; warmUp++)
    {
        await SystemSweep.RunAsync(system, exchanges, sweepTimeout);
    }

    var sweeps = new List<SweepResult>();
    var peers = new List<PeerResult>();
    var redisCommands = new Dictionary<string, long>(StringComparer.Ordinal);
    var loads = new List<double>();
    var cpu = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
    var peerSideCpu = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
    for (var round = 0; round < Rounds; round++)
    {
        var peerCpuBefore = SystemCpu.Read();
        peers.Add(await PeerRun.RunAsync(system.Simulator.BaseAddress!, enableRateLimit: false, Cap, SymbolConcurrency, PeerPasses, exchanges));
        foreach (var (role, used) in SystemCpu.Difference(peerCpuBefore, SystemCpu.Read()))
        {
            peerSideCpu[role] = peerSideCpu.GetValueOrDefault(role) + used;
        }

        var before = measureRedis ? await commands.ReadAsync() : null;
        var cpuBefore = SystemCpu.Read();
        sweeps.Add(await SystemSweep.RunAsync(system, exchanges, sweepTimeout));
        foreach (var (role, used) in SystemCpu.Difference(cpuBefore, SystemCpu.Read()))
        {
            cpu[role] = cpu.GetValueOrDefault(role) + used;
        }

        loads.Add(LoadAverage());
        if (before is not null)
        {
            foreach (var (command, calls) in RedisCommandStats.Difference(before, await commands.ReadAsync()))
            {
                redisCommands[command] = redisCommands.GetValueOrDefault(command) + calls;
            }
        }
    }

    var memory = sweeps.SelectMany(s => s.Workers).Distinct().Order().Select(WorkerMemory.Read).ToList();
    return new ThroughputRun(replicas, sweeps, peers, redisCommands, memory, loads, cpu, peerSideCpu);
}

async Task<RateLimitedRun> RunRateLimitedAsync(int replicas)
{
    await using var system = await SweepSystem.StartAsync(RedisMode, replicas, realisticSimulator, workerSettings, publishedWorker: publishedWorker);
    // A full sweep, as the system runs one: every exchange ccxt has, in ccxt's order. Those the
    // simulator does not serve fail fast (404s, as with a broken network), in both.
    var all = await SystemSweep.CcxtExchangesAsync(system);
    await SystemSweep.RunAsync(system, all, sweepTimeout, mustSucceed: exchanges);

    var sweeps = new List<SweepResult>();
    var peers = new List<PeerResult>();
    var loads = new List<double>();
    for (var round = 0; round < Rounds; round++)
    {
        peers.Add(await PeerRun.RunAsync(system.Simulator.BaseAddress!, enableRateLimit: true, Cap, SymbolConcurrency, passes: 1, all));
        sweeps.Add(await SystemSweep.RunAsync(system, all, sweepTimeout, mustSucceed: exchanges));
        loads.Add(LoadAverage());
    }

    // The peer takes exchanges in list order, so its length depends on where the longest one
    // sits; the system orders them itself. The peer's worst list order, for comparison:
    var shortestFirst = all.OrderBy(e => peers.Average(p => p.Durations[e].Ticks)).ToList();
    var worst = await PeerRun.RunAsync(system.Simulator.BaseAddress!, enableRateLimit: true, Cap, SymbolConcurrency, passes: 1, shortestFirst);
    return new RateLimitedRun(all, sweeps, peers, (shortestFirst, worst), loads);
}

// The dress rehearsal, once per RateLimitScale factor: a table each, appended to results/<date>.txt.
static async Task RunRehearsalsAsync(string[] args, string? publishedWorker)
{
    string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    var simulator = new Dictionary<string, string>();
    if (Value("--profile") is { } profile)
    {
        simulator["Profile"] = profile;
    }

    if (Value("--symbols") is { } symbols)
    {
        simulator["SymbolsPerExchange"] = symbols;
    }

    var worker = WorkerSettings(args);
    foreach (var scale in (Value("--rate-limit-scale") ?? "1").Split(','))
    {
        var options = new RehearsalOptions
        {
            RateLimitScale = double.Parse(scale, CultureInfo.InvariantCulture),
            Simulator = simulator,
            Worker = worker,
            Exchanges = Value("--exchanges")?.Split(','),
            Sweeps = int.Parse(Value("--sweeps") ?? "1", CultureInfo.InvariantCulture),
            RunPeer = !args.Contains("--no-peer"),
            PublishedWorker = publishedWorker,
        };
        var report = new Report();
        foreach (var line in (await Rehearsal.RunAsync(options, Console.Out)).Format())
        {
            report.Line(line);
        }

        report.Line($"raw output appended to {report.AppendTo(ResultsDirectory())}");
    }
}

static TimeSpan LowerBound(IEnumerable<TimeSpan> durations)
{
    var all = durations.ToList();
    return TimeSpan.FromTicks(Math.Max(all.Max(d => d.Ticks), all.Sum(d => d.Ticks) / Cap));
}

static double MemTotalGiB() =>
    long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;

// The 1-minute load average: the machine is shared, and a busy neighbour skews a round.
static double LoadAverage() =>
    double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

static string ResultsDirectory() => typeof(Report).Assembly
    .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResultsDirectory").Value!;

static Dictionary<string, string> WorkerSettings(string[] args) =>
    args.Select((a, i) => (a, i)).Where(a => a.a == "--worker" && a.i + 1 < args.Length)
        .Select(a => args[a.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

internal sealed record ThroughputRun(
    int Replicas,
    IReadOnlyList<SweepResult> Sweeps,
    IReadOnlyList<PeerResult> Peers,
    IReadOnlyDictionary<string, long> RedisCommands,
    IReadOnlyList<WorkerRss> Memory,
    IReadOnlyList<double> LoadAverages,
    IReadOnlyDictionary<string, TimeSpan> SystemCpu,
    IReadOnlyDictionary<string, TimeSpan> PeerSideCpu);

internal sealed record RateLimitedRun(
    IReadOnlyList<string> Exchanges,
    IReadOnlyList<SweepResult> Sweeps,
    IReadOnlyList<PeerResult> Peers,
    (IReadOnlyList<string> Order, PeerResult Result) WorstOrderPeer,
    IReadOnlyList<double> LoadAverages);
