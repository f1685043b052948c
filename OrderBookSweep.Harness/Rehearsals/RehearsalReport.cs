using System.Globalization;
using OrderBookSweep.Coordination;
using StackExchange.Redis;

namespace OrderBookSweep.Harness.Rehearsals;

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
    ApiLatencies Api,
    CompareLatencies Compare)
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
        yield return $"Compare endpoints after the sweeps, {Redis.BookKeys:N0} books stored, ms p50 / p99 (samples): GET /api/markets/{{symbol}} {Compare.Symbol}; "
            + $"GET /api/markets?base= {Compare.Base}; failed requests {Compare.Failures}";
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
