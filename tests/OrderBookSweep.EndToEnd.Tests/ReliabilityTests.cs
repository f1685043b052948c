using OrderBookSweep.Coordination;
using OrderBookSweep.Harness.Drill;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// The fast part of the reliability drill, on the system the drill uses (redis-server with AOF,
/// latency on every simulated exchange) with a 5 s lease so kills recover quickly.
/// One boot shared by the tests of this class; about 90 s in all.
/// </summary>
public sealed class ReliabilityTests(ReliabilityTests.DrillSystem fixture) : IClassFixture<ReliabilityTests.DrillSystem>
{
    [Fact]
    public async Task A_short_drill_loses_no_job_holds_the_cap_and_never_works_an_exchange_twice_at_once()
    {
        var options = fixture.Options with
        {
            MaxSweeps = 3,
            Injections = [InjectionKind.KillPermitHolder, InjectionKind.RestartRedis, InjectionKind.KillEngine,
                InjectionKind.Hang, InjectionKind.Malformed, InjectionKind.RateLimitStorm],
        };

        var report = await new ReliabilityDrill(fixture.System, options, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.Equal(3, report.Sweeps);
        Assert.True(report.Injections.Count >= 5, report.Format());
        Assert.Contains(report.Injections, i => i.Kind == InjectionKind.RestartRedis);
        Assert.Equal(3 * options.Exchanges.Count, report.Outcomes.Values.Sum());
        Assert.Empty(report.Violations());
        Assert.Equal(0, report.JobsLost);
        Assert.InRange(report.MaxDistinctExchangesInFlight, 2, options.Cap);
        Assert.Equal(0, report.ExchangesWorkedTwiceAtOnce);
    }

    /// <summary>A replica killed mid-exchange; its exchange is finished by another replica and the cap held throughout.</summary>
    [Fact]
    public async Task A_worker_killed_mid_exchange_has_its_exchange_finished_by_another_replica_within_the_cap()
    {
        var system = fixture.System;
        await using var processes = new SystemProcesses(system.App);
        using var redis = await system.ConnectRedisAsync();
        var probe = new CoordinationProbe(redis);
        await Eventually.UntilAsync(() => processes.Running("worker").Count == fixture.Options.WorkerReplicas, "every worker replica running", TimeSpan.FromMinutes(1));
        (await system.Simulator.PostAsync("/admin/stats/reset", null)).EnsureSuccessStatusCode();

        var sweepId = await system.StartSweepAsync([.. fixture.Options.Exchanges]);
        Holding? victim = null;
        await Eventually.UntilAsync(async () => (victim = (await probe.PermitsAsync()).FirstOrDefault()) is not null, "a permit holder", TimeSpan.FromMinutes(1));
        var worker = processes.Running("worker").Single(w => w.Pid == victim!.Pid);
        var held = (await probe.LeasesAsync()).Where(l => l.Worker == victim!.Worker).Select(l => l.Exchange).ToList();
        SystemProcesses.Kill(worker.Pid!.Value);

        var sweep = await system.WaitForSweepAsync(sweepId, TimeSpan.FromMinutes(2));
        await processes.StartAsync(worker.ResourceId, CancellationToken.None);

        Assert.Equal(SweepState.Completed, sweep.State);
        Assert.Contains(victim!.Exchange, held);
        foreach (var exchange in held)
        {
            var outcome = sweep.Outcomes[exchange];
            Assert.NotEqual(victim.Worker, outcome.Worker);
            Assert.True(outcome.Attempts >= 2, $"{exchange}: {outcome}");
            if (exchange != "gemini")
            {
                Assert.True(outcome.Outcome == ExchangeOutcomeKind.Succeeded, $"{exchange}: {outcome}");
            }
        }
        Assert.Equal(fixture.Options.Exchanges.Order(), sweep.Outcomes.Keys.Order());
        var stats = await system.SimulatorStatsAsync();
        Assert.InRange(stats.GetProperty("maxDistinctExchangesInFlight").GetInt32(), 1, fixture.Options.Cap);
        Assert.Equal(0, stats.GetProperty("exchangesWorkedByTwoWorkersAtOnce").GetInt64());
    }

    /// <summary>
    /// What a Redis restart without the latest writes looks like: the queue and every lease gone
    /// mid-sweep. The scheduler's reconcile re-enqueues what has no outcome, so the sweep still
    /// ends with one outcome per exchange: the loss costs time, not jobs.
    /// </summary>
    [Fact]
    public async Task Jobs_whose_queue_entries_and_leases_vanish_are_reconciled_and_the_sweep_still_finishes()
    {
        var system = fixture.System;
        using var redis = await system.ConnectRedisAsync();
        var db = redis.GetDatabase();
        var probe = new CoordinationProbe(redis);
        var sweepId = await system.StartSweepAsync([.. fixture.Options.Exchanges]);
        await Eventually.UntilAsync(async () => (await probe.LeasesAsync()).Count >= 3, "three leased jobs", TimeSpan.FromMinutes(1));

        var keys = new CoordinationKeys(CoordinationKeys.DefaultPrefix);
        await db.KeyDeleteAsync([keys.Queue, keys.Leases, keys.LeaseInfo]);

        var sweep = await system.WaitForSweepAsync(sweepId, TimeSpan.FromMinutes(1));
        Assert.Equal(SweepState.Completed, sweep.State);
        Assert.Equal(fixture.Options.Exchanges.Order(), sweep.Outcomes.Keys.Order());
        Assert.Equal(fixture.Options.Exchanges.Count, sweep.Total);
    }

    public sealed class DrillSystem : IAsyncLifetime
    {
        public DrillOptions Options { get; } = new() { LeaseDuration = TimeSpan.FromSeconds(5), SweepTimeout = TimeSpan.FromMinutes(1) };

        public SweepSystem System { get; private set; } = null!;

        public async Task InitializeAsync() => System = await ReliabilityDrill.StartSystemAsync(Options);

        public async Task DisposeAsync() => await System.DisposeAsync();
    }
}
