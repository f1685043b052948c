using OrderBookSweep.Coordination;
using OrderBookSweep.Harness.Rehearsals;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// The dress rehearsal (benchmarks/OrderBookSweep.SweepBenchmark -- --rehearsal), small: a few
/// exchanges, a few spot symbols each (binance lists derivatives too), the throttle compressed, so
/// that the command keeps working and its figures stay sane. The workers run as their image runs
/// them, compiled ahead of time: the one test that takes that executable through a whole sweep.
/// About 40 s on 2 cores, after the worker's publish (about 90 s the first time, seconds after). It runs alone: the rehearsal reads the CPU and memory of every process
/// of a system this test process hosts, so another suite's system running beside it would count.
/// </summary>
[Collection(Alone)]
public sealed class RehearsalTests
{
    public const string Alone = "rehearsal, with no other system in this process";

    private static readonly string[] Simulated = ["binance", "kraken", "bitstamp"];

    /// <summary>ccxt exchanges the simulator does not serve: they fail as with a broken network.</summary>
    private static readonly string[] Unreachable = ["gemini", "bitvavo"];

    [Fact]
    public async Task A_small_rehearsal_reports_every_figure_of_its_table()
    {
        string[] exchanges = [.. Simulated, .. Unreachable];
        var published = Directory.CreateTempSubdirectory("orderbooksweep-rehearsal-worker-").FullName;
        RehearsalReport report;
        try
        {
            report = await Rehearsal.RunAsync(new RehearsalOptions
            {
                PublishedWorker = await PublishedWorker.PublishAsync(published),
                RateLimitScale = 0.1,
                Simulator = new Dictionary<string, string> { ["SymbolsPerExchange"] = "6" },
                Exchanges = exchanges,
                SweepTimeout = TimeSpan.FromMinutes(2),
            }, TextWriter.Null);
        }
        finally
        {
            Directory.Delete(published, recursive: true);
        }

        var sweep = Assert.Single(report.Sweeps);
        Assert.Equal(exchanges.Length, sweep.Outcomes.Values.Sum());
        Assert.Equal(Simulated.Length, sweep.Outcomes.GetValueOrDefault(ExchangeOutcomeKind.Succeeded));
        Assert.Equal(Unreachable.Length, sweep.Outcomes.GetValueOrDefault(ExchangeOutcomeKind.DeadLettered));
        Assert.Equal(Unreachable.Length, sweep.ExchangeErrors.Values.Sum());
        Assert.Empty(sweep.SymbolErrors);
        // 6 spot symbols each, and binance's derivatives of the small profile: every market type is swept.
        Assert.True(sweep.Books > Simulated.Length * 6, $"{sweep.Books} books");

        // The bound comes from the same outcomes: no sweep beats it.
        Assert.InRange(sweep.LowerBoundSeconds, 0.001, sweep.Seconds);
        Assert.True(sweep.Published >= sweep.Books, $"{sweep.Published} messages published for {sweep.Books} books");
        Assert.InRange(sweep.SseMessages, 1, sweep.Published);
        Assert.True(sweep.CpuMicrosecondsPerBook > 0);

        var peer = Assert.IsType<RehearsalPeer>(report.Peer);
        Assert.Equal(sweep.Books, peer.Books);
        Assert.True(peer.Seconds > 0);

        foreach (var role in new[] { "worker", "node engine", "scheduler", "redis-server", "apphost + sink" })
        {
            Assert.True(report.Memory.ByRole.GetValueOrDefault(role) > 1, $"no resident memory read for {role}");
        }

        Assert.Equal(Rehearsal.WorkerReplicas, report.Memory.Replicas.Count);
        Assert.All(report.Memory.Replicas, r => Assert.True(r.WorkerMiB > 1 && r.EngineMiB > 1, $"{r}"));

        Assert.True(report.Redis.UsedMemoryBytes > 0);
        Assert.Equal(sweep.Books, report.Redis.BookKeys);
        // A stored book is its JSON plus Redis's own overhead.
        Assert.True(report.Redis.MeanBookBytes > report.Redis.MeanBookJsonBytes, $"{report.Redis}");
        Assert.True(report.Redis.MeanBookJsonBytes > 100, $"{report.Redis}");

        Assert.True(report.Api.SweepsLatest.Samples > 0);
        Assert.InRange(report.Api.SweepsLatest.P50, 0.001, report.Api.SweepsLatest.P99);
        Assert.Equal(0, report.Api.Failures);

        // Every stored symbol's venues and every base's consolidated view answered, once the books were stored.
        Assert.Equal(0, report.Compare.Failures);
        Assert.True(report.Compare.Symbol.Samples >= 4 && report.Compare.Base.Samples >= 10, $"{report.Compare}");
        Assert.InRange(report.Compare.Symbol.P50, 0.001, report.Compare.Symbol.P99);
        Assert.InRange(report.Compare.Base.P50, 0.001, report.Compare.Base.P99);

        // The table prints every figure.
        var table = string.Join('\n', report.Format());
        Assert.Contains("RateLimitScale 0.1", table);
        Assert.Contains("compiled ahead of time", table);
        Assert.Contains("peak RSS MiB per replica", table);
        Assert.Contains("GET /api/markets?base=", table);
    }
}

[CollectionDefinition(RehearsalTests.Alone, DisableParallelization = true)]
public sealed class RehearsalCollection;
