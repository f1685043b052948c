using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.EmbeddedRedis;
using OrderBookSweep.Scheduler.Archive;
using StackExchange.Redis;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>One embedded Garnet for the archive's tests (about 0.3 s to start); each test its own key prefix and folder.</summary>
public sealed class GarnetFixture : IDisposable
{
    public EmbeddedGarnetServer Server { get; } = EmbeddedGarnetServer.Start();

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// What the archive runs on in the scheduler, on a real Redis-compatible server: the coordination
/// stores (a sweep, its jobs and books as a worker writes them), the writer, retention and a
/// fresh <see cref="SweepArchiver"/> per <see cref="NewArchiver"/> (a restart).
/// </summary>
public sealed class ArchiveRig : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;

    private ArchiveRig(ConnectionMultiplexer redis, string root, ArchiveOptions archive)
    {
        _redis = redis;
        var coordination = Microsoft.Extensions.Options.Options.Create(new CoordinationOptions { KeyPrefix = "a" + Guid.NewGuid().ToString("N")[..12] });
        Sweeps = new SweepStore(redis, coordination);
        Queue = new JobQueue(redis, coordination);
        Results = new ResultStore(redis, coordination);
        History = new SweepHistory(redis, coordination);
        Options = archive;
        Layout = new ArchiveLayout(root);
        Writer = new SweepArchiveWriter(Layout, Results, OrderBookSweep.Coordination.Metrics.MetricBands.Default);
        Series = new SeriesIndex(Layout, OrderBookSweep.Coordination.Metrics.MetricBands.Default);
    }

    public SweepStore Sweeps { get; }

    public JobQueue Queue { get; }

    public ResultStore Results { get; }

    public SweepHistory History { get; }

    public ArchiveOptions Options { get; }

    public ArchiveLayout Layout { get; }

    public SweepArchiveWriter Writer { get; }

    public SeriesIndex Series { get; }

    public TimeProvider Time { get; set; } = TimeProvider.System;

    public static async Task<ArchiveRig> StartAsync(GarnetFixture garnet, string? root = null, ArchiveOptions? options = null) =>
        new(await ConnectionMultiplexer.ConnectAsync(garnet.Server.ConnectionString),
            root ?? Directory.CreateTempSubdirectory("obs-archive-test-").FullName,
            options ?? new ArchiveOptions());

    public ArchiveRetention Retention() =>
        new(Layout, Series, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<ArchiveRetention>.Instance);

    /// <summary>A new archiver, as after a restart: it knows only what the folder and Redis hold.</summary>
    public SweepArchiver NewArchiver() =>
        new(Writer, Retention(), Series, History, Sweeps, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<SweepArchiver>.Instance);

    public ArchiveReader Reader() => new(Layout, Series);

    public async Task<long> StartSweepAsync(params string[] exchanges) =>
        (await Sweeps.StartSweepAsync(exchanges, force: true, null, null, default)).SweepId;

    /// <summary>Claims the next job, stores its books as a worker does, and records the outcome ccxt's results give.</summary>
    public async Task<IReadOnlyList<BookSnapshot>> SweepExchangeAsync(string exchange, IReadOnlyList<string> symbols, int failed = 0, int levels = 5, double price = 100)
    {
        await using var lease = await Queue.ClaimAsync("test-worker", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(exchange, lease.Job.Exchange);
        var startedAt = DateTimeOffset.UtcNow;
        var books = symbols.Select((symbol, i) => Book(exchange, symbol, lease.Job.SweepId, levels, price + i)).ToList();
        Assert.True(await Results.PublishBooksAsync(lease, books, default));
        var errors = failed > 0 ? new Dictionary<string, int> { ["RequestTimeout"] = failed } : new Dictionary<string, int>();
        await lease.CompleteAsync(ExchangeOutcome.Swept(books.Count, errors, startedAt, DateTimeOffset.UtcNow), default);
        return books;
    }

    public async Task FailExchangeAsync(string exchange)
    {
        await using var lease = await Queue.ClaimAsync("test-worker", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(exchange, lease.Job.Exchange);
        await lease.CompleteAsync(ExchangeOutcome.Failed("ExchangeNotAvailable", "markets did not load", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), default);
    }

    /// <summary>A book like the simulator's: whole ticks 1-3 apart, whole amount units, an exchange timestamp.</summary>
    public static BookSnapshot Book(string exchange, string symbol, long sweepId, int levels, double mid)
    {
        var random = new Random(HashCode.Combine(symbol, sweepId));
        OrderBookLevel[] Side(int direction)
        {
            var side = new OrderBookLevel[levels];
            var ticks = (long)(mid * 100) + direction;
            for (var i = 0; i < levels; i++, ticks += direction * random.Next(1, 4))
            {
                side[i] = new OrderBookLevel(ticks / 100.0, random.Next(1, 100_001) / 10_000.0);
            }

            return side;
        }

        var fetchedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new BookSnapshot(exchange, symbol, Side(-1), Side(+1), fetchedAt.ToUnixTimeMilliseconds() - 40, null, null, sweepId, "test-worker", fetchedAt);
    }

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        if (Directory.Exists(Layout.Root))
        {
            Directory.Delete(Layout.Root, recursive: true);
        }
    }
}
