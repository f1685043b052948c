using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrderBookSweep.Coordination;
using StackExchange.Redis;

namespace OrderBookSweep.Harness.Drill;

/// <summary>
/// Runs sweeps one after another against the simulator and, during each, injects one kill or
/// restart and one exchange fault (taken in turn from <see cref="DrillOptions.Injections"/>, in a
/// seeded order). Observes from outside the services: the simulator's own counts (cap, exchanges
/// worked by two workers at once), Redis' documented keys (who holds which job) and the
/// scheduler's API (outcomes).
/// </summary>
public sealed class ReliabilityDrill(SweepSystem system, DrillOptions options, TextWriter log)
{
    private static readonly TimeSpan InjectionWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StormLength = TimeSpan.FromSeconds(3);

    private readonly Random _random = new(options.Seed);
    private readonly List<Task> _replicaStarts = [];

    /// <summary>The system the drill needs: redis-server (so it can be killed; AOF on), latency on every simulated exchange.</summary>
    public static Task<SweepSystem> StartSystemAsync(DrillOptions options) =>
        SweepSystem.StartAsync(
            "server",
            options.WorkerReplicas,
            simulator: new Dictionary<string, string>
            {
                ["SymbolsPerExchange"] = options.Symbols.ToString(CultureInfo.InvariantCulture),
                // Past the request timeout, short enough that hung requests do not pile up.
                ["HangDuration"] = (options.RequestTimeout * 3).ToString("c", CultureInfo.InvariantCulture),
            },
            worker: new Dictionary<string, string>
            {
                ["Coordination:LeaseDuration"] = options.LeaseDuration.ToString("c", CultureInfo.InvariantCulture),
                ["Exchanges:RequestTimeout"] = options.RequestTimeout.ToString("c", CultureInfo.InvariantCulture),
                // The simulated latency sets the pace; ccxt's throttle would make kraken take a second a book.
                ["Exchanges:EnableRateLimit"] = "false",
                // More claim slots than the cap: some jobs always wait for a permit.
                ["Worker:Concurrency"] = "3",
                ["Worker:SymbolConcurrency"] = "2",
            });

    public async Task<DrillReport> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var report = new DrillReport(options);
        var clock = Stopwatch.StartNew();
        await using var processes = new SystemProcesses(system.App);
        using var redis = await system.ConnectRedisAsync();
        var probe = new CoordinationProbe(redis);
        var kills = new Rotation(options.Injections.Where(Injection.IsProcessFault).ToList(), _random);
        var faults = new Rotation(options.Injections.Where(k => !Injection.IsProcessFault(k)).ToList(), _random);

        foreach (var exchange in Simulated)
        {
            await RestoreBaselineAsync(exchange, cancellationToken);
        }
        (await system.Simulator.PostAsync("/admin/stats/reset", null, cancellationToken)).EnsureSuccessStatusCode();

        while (clock.Elapsed < options.Duration && (options.MaxSweeps is null || report.Sweeps < options.MaxSweeps))
        {
            await Task.WhenAll(_replicaStarts).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            _replicaStarts.Clear();
            await WaitForWorkersAsync(processes, cancellationToken);

            var sweepId = await StartSweepAsync(cancellationToken);
            var faulted = new List<string>();
            var injected = new List<Task<Injection?>>();
            if (faults.Next() is { } fault)
            {
                injected.Add(InjectFaultAsync(fault, sweepId, faulted, cancellationToken));
            }
            if (kills.Next() is { } kill)
            {
                injected.Add(InjectProcessFaultAsync(kill, sweepId, processes, probe, cancellationToken));
            }

            foreach (var injection in await Task.WhenAll(injected))
            {
                if (injection is not null)
                {
                    report.Add(injection);
                    await log.WriteLineAsync($"[{clock.Elapsed:mm\\:ss}] sweep {sweepId}: {DrillReport.Name(injection.Kind)} -> {injection.Target}; " +
                        $"recovery {(injection.Recovery is { } r ? $"{r.TotalSeconds:0.0} s" : "-")}{(injection.Recovered ? "" : " NOT RECOVERED")}; {injection.Note}");
                }
            }

            var status = await WaitForEndAsync(sweepId, cancellationToken);
            report.AddSweep(sweepId, options.Exchanges, status);
            await log.WriteLineAsync($"[{clock.Elapsed:mm\\:ss}] sweep {sweepId}: {(status is null ? "unknown" : StoredName<SweepState>.Of(status.State))}, " +
                string.Join(", ", options.Exchanges.Select(e => $"{e} {(status?.Outcomes.GetValueOrDefault(e) is { } o ? StoredName<ExchangeOutcomeKind>.Of(o.Outcome) : "NONE")}")));
            foreach (var exchange in faulted.Distinct())
            {
                await RestoreBaselineAsync(exchange, cancellationToken);
            }
        }

        await Task.WhenAll(_replicaStarts).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var stats = await system.SimulatorStatsAsync();
        report.MaxDistinctExchangesInFlight = stats.GetProperty("maxDistinctExchangesInFlight").GetInt32();
        report.ExchangesWorkedTwiceAtOnce = stats.GetProperty("exchangesWorkedByTwoWorkersAtOnce").GetInt64();
        report.OverlapDetails = stats.GetProperty("recentOverlaps").GetRawText();
        report.Elapsed = clock.Elapsed;
        return report;
    }

    private IEnumerable<string> Simulated => options.Exchanges.Where(e => e != "gemini");

    private async Task<Injection?> InjectProcessFaultAsync(
        InjectionKind kind, long sweepId, SystemProcesses processes, CoordinationProbe probe, CancellationToken ct)
    {
        // A waiter exists mostly in the sweep's first seconds (more claim slots than permits);
        // the rest land somewhere in the middle of the sweep.
        await Task.Delay(kind == InjectionKind.KillPermitWaiter ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromMilliseconds(_random.Next(500, 3000)), ct);
        return kind switch
        {
            InjectionKind.KillPermitHolder or InjectionKind.KillPermitWaiter => await KillWorkerAsync(kind, sweepId, processes, probe, ct),
            InjectionKind.KillEngine => await KillEngineAsync(sweepId, processes, probe, ct),
            InjectionKind.RestartRedis => await RestartRedisAsync(sweepId, processes, ct),
            InjectionKind.RestartScheduler => await RestartSchedulerAsync(sweepId, processes, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private async Task<Injection?> KillWorkerAsync(
        InjectionKind kind, long sweepId, SystemProcesses processes, CoordinationProbe probe, CancellationToken ct)
    {
        IReadOnlyList<Holding> leases = [], permits = [];
        List<ResourceProcess> targets = [];
        var found = await Eventually.TryUntilAsync(async () =>
        {
            var workers = processes.Running("worker");
            leases = await probe.LeasesAsync();
            permits = await probe.PermitsAsync();
            var candidates = kind == InjectionKind.KillPermitHolder
                ? permits.Select(p => p.Pid)
                : leases.Where(l => !permits.Any(p => p.Worker == l.Worker && p.Exchange == l.Exchange)).Select(l => l.Pid);
            targets = [.. workers.Where(w => candidates.Contains(w.Pid))];
            return targets.Count > 0;
        }, InjectionWait, cancellationToken: ct);
        if (!found)
        {
            await log.WriteLineAsync($"sweep {sweepId}: no worker {(kind == InjectionKind.KillPermitHolder ? "holding a permit" : "waiting for a permit")} within {InjectionWait.TotalSeconds} s; nothing killed");
            return null;
        }

        var target = targets[_random.Next(targets.Count)];
        var pid = target.Pid!.Value;
        var held = leases.Where(l => l.Pid == pid).ToList();
        var phase = string.Join(", ", held.Select(h => permits.Any(p => p.Pid == pid && p.Exchange == h.Exchange) ? $"{h.Exchange} (permit)" : $"{h.Exchange} (waiting)"));
        SystemProcesses.Kill(pid);
        _replicaStarts.Add(processes.StartAsync(target.ResourceId, ct));
        var recovery = await WaitAsync(async () =>
        {
            var now = await probe.LeasesAsync();
            foreach (var job in held)
            {
                var retaken = now.Any(l => l.JobId == job.JobId && l.Pid != pid);
                var finished = await probe.HasOutcomeAsync(sweepId, job.Exchange);
                if (!retaken && !finished)
                {
                    return false;
                }
            }
            return true;
        }, ct);
        return new Injection(kind, sweepId, $"{target.ResourceId} pid {pid}: {phase}", held.Count > 0 ? recovery : null, recovery is not null, $"held {held.Count} job(s)");
    }

    private async Task<Injection?> KillEngineAsync(long sweepId, SystemProcesses processes, CoordinationProbe probe, CancellationToken ct)
    {
        ResourceProcess? worker = null;
        int? engine = null;
        var found = await Eventually.TryUntilAsync(async () =>
        {
            var holders = (await probe.PermitsAsync()).Select(p => p.Pid).ToHashSet();
            var workers = processes.Running("worker").Where(w => holders.Contains(w.Pid)).ToList();
            if (workers.Count == 0)
            {
                return false;
            }

            worker = workers[_random.Next(workers.Count)];
            engine = SystemProcesses.EngineOf(worker.Pid!.Value);
            return engine is not null;
        }, InjectionWait, cancellationToken: ct);
        if (!found || worker is not { Pid: { } workerPid } || engine is not { } killed)
        {
            return null;
        }

        SystemProcesses.Kill(killed);
        // The worker starts a new engine at its next call; if its exchanges had no call left, at the next job.
        var recovery = await WaitAsync(() => Task.FromResult(SystemProcesses.EngineOf(workerPid) is { } next && next != killed), ct,
            stopWhen: async () => !await probe.IsRunningAsync(sweepId));
        return new Injection(InjectionKind.KillEngine, sweepId, $"node pid {killed} of {worker.ResourceId}", recovery, Recovered: true,
            recovery is null ? "no new engine before the sweep ended (it starts at the next call)" : "new engine running");
    }

    private async Task<Injection?> RestartRedisAsync(long sweepId, SystemProcesses processes, CancellationToken ct)
    {
        if (processes.Running("redis") is not [var redisProcess])
        {
            await log.WriteLineAsync("redis-server process not found; nothing killed");
            return null;
        }
        var before = await StatusAsync(sweepId, ct);
        if (before is not { State: SweepState.Running })
        {
            return null;
        }
        var killedAt = Stopwatch.StartNew();
        SystemProcesses.Kill(redisProcess.Pid!.Value);
        await processes.StartAsync(redisProcess.ResourceId, ct);
        var up = killedAt.Elapsed;
        // Progress: one more exchange done than before the kill, or the sweep over.
        var recovery = await WaitAsync(async () => await StatusAsync(sweepId, ct) is { } s && (s.State != SweepState.Running || s.Done > before.Done), ct);
        return new Injection(InjectionKind.RestartRedis, sweepId, $"redis-server pid {redisProcess.Pid}", recovery, recovery is not null,
            $"redis-server back after {up.TotalSeconds:0.0} s; time is until the sweep progressed again");
    }

    private async Task<Injection?> RestartSchedulerAsync(long sweepId, SystemProcesses processes, CancellationToken ct)
    {
        if (processes.Running("scheduler") is not [var scheduler])
        {
            return null;
        }
        var clock = Stopwatch.StartNew();
        await processes.RestartAsync(scheduler.ResourceId, ct);
        var recovery = await WaitAsync(async () => processes.Running("scheduler") is [var next] && next.Pid != scheduler.Pid && await StatusAsync(sweepId, ct) is not null, ct);
        return new Injection(InjectionKind.RestartScheduler, sweepId, $"scheduler pid {scheduler.Pid}", recovery is null ? null : clock.Elapsed, recovery is not null,
            "time is until the new scheduler answered for the sweep");
    }

    private async Task<Injection?> InjectFaultAsync(InjectionKind kind, long sweepId, List<string> faulted, CancellationToken ct)
    {
        await Task.Delay(_random.Next(0, 1500), ct);
        var simulated = Simulated.ToList();
        if (kind == InjectionKind.RateLimitStorm)
        {
            var storm = simulated.OrderBy(_ => _random.Next()).Take(3).ToList();
            faulted.AddRange(storm);
            foreach (var exchange in storm)
            {
                await SetFaultAsync(exchange, null, "429", ct);
            }
            await Task.Delay(StormLength, ct);
            foreach (var exchange in storm)
            {
                await RestoreBaselineAsync(exchange, ct);
            }
            return new Injection(kind, sweepId, string.Join(", ", storm), null, true, $"every endpoint 429 for {StormLength.TotalSeconds} s");
        }

        var target = simulated[_random.Next(simulated.Count)];
        // Garbage on the markets endpoint fails the whole exchange; on the books, single symbols.
        var endpoint = kind is InjectionKind.Hang || _random.Next(2) == 0 ? "orderbook" : "markets";
        var text = kind switch
        {
            InjectionKind.Hang => "hang",
            InjectionKind.Reset => "reset",
            InjectionKind.Malformed => "malformed",
            InjectionKind.Html => "html",
            InjectionKind.Empty => "empty",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        faulted.Add(target);
        await SetFaultAsync(target, endpoint, text, ct);
        return new Injection(kind, sweepId, $"{target} {endpoint}", null, true, "until the sweep ends");
    }

    private async Task SetFaultAsync(string exchange, string? endpoint, string fault, CancellationToken ct)
    {
        var path = endpoint is null ? $"/admin/faults/{exchange}" : $"/admin/faults/{exchange}/{endpoint}";
        using var response = await system.Simulator.PutAsJsonAsync(path, new { fault }, ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Only the latency that keeps each exchange in flight for a while.</summary>
    private async Task RestoreBaselineAsync(string exchange, CancellationToken ct)
    {
        (await system.Simulator.DeleteAsync($"/admin/faults/{exchange}", ct)).EnsureSuccessStatusCode();
        await SetFaultAsync(exchange, "markets", $"latency:{options.MarketsLatency:c}", ct);
        await SetFaultAsync(exchange, "orderbook", $"latency:{options.BookLatency:c}", ct);
    }

    private async Task<long> StartSweepAsync(CancellationToken ct)
    {
        long sweepId = 0;
        var last = "nothing (the scheduler did not answer)";
        var started = await Eventually.TryUntilAsync(
            async () =>
            {
                using var response = await system.Scheduler.PostAsJsonAsync("/api/sweeps", new { exchanges = options.Exchanges }, ct);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    sweepId = (await response.Content.ReadFromJsonAsync<JsonElement>(SweepSystem.Json, ct)).GetProperty("sweepId").GetInt64();
                    return true;
                }
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
                return false;
            },
            RecoveryTimeout,
            e => e is HttpRequestException, // the scheduler restarting
            ct,
            interval: TimeSpan.FromMilliseconds(500));
        return started ? sweepId : throw new InvalidOperationException($"POST /api/sweeps answered {last}");
    }

    private async Task<SweepStatus?> WaitForEndAsync(long sweepId, CancellationToken ct)
    {
        SweepStatus? status = null;
        await Eventually.TryUntilAsync(
            async () => (status = await StatusAsync(sweepId, ct) ?? status) is { State: not SweepState.Running },
            options.SweepTimeout,
            cancellationToken: ct,
            interval: TimeSpan.FromMilliseconds(250));
        return status;
    }

    /// <summary>The sweep as the scheduler reports it; null while the scheduler or Redis is not answering.</summary>
    private async Task<SweepStatus?> StatusAsync(long sweepId, CancellationToken ct)
    {
        try
        {
            using var response = await system.Scheduler.GetAsync($"/api/sweeps/{sweepId}", ct);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<SweepStatus>(SweepSystem.Json, ct) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            return null;
        }
    }

    private async Task WaitForWorkersAsync(SystemProcesses processes, CancellationToken ct)
    {
        if (!await Eventually.TryUntilAsync(
            () => Task.FromResult(processes.Running("worker").Count >= options.WorkerReplicas), RecoveryTimeout, cancellationToken: ct, interval: TimeSpan.FromMilliseconds(200)))
        {
            await log.WriteLineAsync($"only {processes.Running("worker").Count} of {options.WorkerReplicas} workers running; going on");
        }
    }

    /// <summary>Time until <paramref name="recovered"/> holds; null if it did not within the timeout or <paramref name="stopWhen"/> came first.</summary>
    private static async Task<TimeSpan?> WaitAsync(Func<Task<bool>> recovered, CancellationToken ct, Func<Task<bool>>? stopWhen = null)
    {
        var clock = Stopwatch.StartNew();
        var held = false;
        // Redis restarting counts as "not yet".
        await Eventually.TryUntilAsync(
            async () => (held = await recovered()) || (stopWhen is not null && await stopWhen()), RecoveryTimeout, e => e is RedisException, ct);
        return held ? clock.Elapsed : null;
    }

    /// <summary>The listed injections in a seeded order, reshuffled each round.</summary>
    private sealed class Rotation(IReadOnlyList<InjectionKind> kinds, Random random)
    {
        private readonly Queue<InjectionKind> _next = new();

        public InjectionKind? Next()
        {
            if (kinds.Count == 0)
            {
                return null;
            }
            if (_next.Count == 0)
            {
                foreach (var kind in kinds.OrderBy(_ => random.Next()))
                {
                    _next.Enqueue(kind);
                }
            }
            return _next.Dequeue();
        }
    }
}
