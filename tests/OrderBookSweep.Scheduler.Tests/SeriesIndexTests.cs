using OrderBookSweep.Coordination.Metrics;
using OrderBookSweep.Harness;
using OrderBookSweep.Scheduler.Archive;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>
/// The series files (<see cref="SeriesIndex"/>): the archiver merges each archived sweep into its
/// day's per-exchange files, and a series reads every archived sweep once, from those files or,
/// until merged, from the sweep's own. On Garnet in this process, read back by DuckDB on its own;
/// each test well under a second.
/// </summary>
public sealed class SeriesIndexTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    private const string HostileSymbol = "<script>alert('x')</script>\"; DROP TABLE books;--/ÜSDT ../..\\é";

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Each_archived_sweep_is_merged_once_and_a_series_reads_it_once_even_when_the_merge_was_cut_short()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var archiver = rig.NewArchiver();
        var sweeps = new List<long>();
        foreach (var price in new[] { 100.0, 200.0, 300.0 })
        {
            sweeps.Add(await rig.StartSweepAsync("binance", "kraken"));
            await rig.SweepExchangeAsync("binance", [HostileSymbol, "ETH/USDT"], price: price);
            await rig.SweepExchangeAsync("kraken", ["XBT/USD"], price: price);
            await archiver.RunPassAsync(default);
        }

        await AssertMergedAsync(rig, sweeps);
        Assert.Equal([HostileSymbol, HostileSymbol, HostileSymbol, "ETH/USDT", "ETH/USDT", "ETH/USDT"],
            DuckDb.Query($"SELECT symbol FROM read_parquet('{rig.Layout.SeriesFile(Today, "binance")}')").Select(r => (string)r[0]!));

        // A crash after the files were written but before the list: the last sweep is read from both, once.
        File.WriteAllLines(rig.Layout.SeriesMerged(Today), sweeps.Take(2).Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await AssertSeriesAsync(rig, sweeps);

        // After a restart the archiver finds the sweep not merged and merges it again: its rows replace their copies.
        await rig.NewArchiver().RunPassAsync(default);
        await AssertMergedAsync(rig, sweeps);
    }

    [Fact]
    public async Task An_archive_without_series_files_is_merged_a_day_a_pass_and_is_read_from_the_sweeps_files_until_then()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var sweeps = await SweepAndArchiveAsync(rig, rig.NewArchiver(), 100, 200);

        // The archive as a version before the series files left it.
        rig.Series.Delete(Today);
        await AssertSeriesAsync(rig, sweeps);

        // The first pass after start finds both and merges them at once.
        await rig.NewArchiver().RunPassAsync(default);
        await AssertMergedAsync(rig, sweeps);
    }

    [Fact]
    public async Task A_series_file_that_cannot_be_read_is_built_again_from_the_days_sweeps()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var archiver = rig.NewArchiver();
        var sweeps = await SweepAndArchiveAsync(rig, archiver, 100);
        File.WriteAllText(rig.Layout.SeriesFile(Today, "binance")!, "not parquet");

        sweeps.AddRange(await SweepAndArchiveAsync(rig, archiver, 200));
        // The merge failed on the file: the day's series are gone, and the history reads the sweeps' own files.
        Assert.Empty(rig.Series.Merged(Today));
        await AssertSeriesAsync(rig, sweeps);

        await archiver.RunPassAsync(default);
        await AssertMergedAsync(rig, sweeps);
        Assert.Null(archiver.Status.Error);
    }

    [Fact]
    public async Task Retired_sweeps_leave_the_series_at_once_and_their_days_files_go_with_the_days_last_sweep()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var sweeps = await SweepAndArchiveAsync(rig, rig.NewArchiver(), 100, 200);

        // By bytes: the first of the two goes; the day's file still holds its rows, which the series leaves out.
        rig.Options.MaxBytes = 1;
        Assert.Equal([sweeps[0]], rig.Retention().Apply());
        Assert.Equal(2, DuckDb.Query($"SELECT * FROM read_parquet('{rig.Layout.SeriesFile(Today, "binance")}')").Count);
        await AssertSeriesAsync(rig, [sweeps[1]]);

        // A copy of the newest as an older sweep, five days ago, merged into that day: by age, it goes with its day's files.
        var old = new ArchivedSweep(900, Today.AddDays(-5));
        foreach (var part in Enum.GetValues<ArchivePart>())
        {
            var target = rig.Layout.File(part, old.SweepId, old.Date);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(rig.Layout.File(part, sweeps[1], Today), target);
        }

        Assert.Equal(1, await rig.Series.MergeAsync(old.Date, [old.SweepId], default));
        Assert.True(File.Exists(rig.Layout.SeriesFile(old.Date, "binance")));
        rig.Options.MaxBytes = new ArchiveOptions().MaxBytes;
        rig.Options.RetainDays = 3;
        Assert.Equal([old.SweepId], rig.Retention().Apply());
        Assert.False(Directory.Exists(rig.Layout.SeriesFolder(old.Date)));

        // A merge of it still pending (it was archived just before) writes nothing back.
        Assert.Equal(0, await rig.Series.MergeAsync(old.Date, [old.SweepId], default));
        Assert.False(Directory.Exists(rig.Layout.SeriesFolder(old.Date)));
        Assert.True(File.Exists(rig.Layout.SeriesFile(Today, "binance")));
    }

    [Fact]
    public async Task A_sweep_written_with_other_bands_is_merged_with_nulls_where_it_has_no_column()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var sweepId = await rig.StartSweepAsync("binance");
        await rig.SweepExchangeAsync("binance", [HostileSymbol]);
        var other = new SweepArchiveWriter(rig.Layout, rig.Results, MetricBands.Create([3], [500]));
        var sweep = (await rig.Sweeps.GetSweepAsync(sweepId, default))!;
        await other.FinishSweepAsync(sweep, default);

        await rig.Series.MergeAsync(Today, [sweepId], default);

        var row = Assert.Single(DuckDb.Query($"SELECT sweep_id, symbol, spread_bps IS NOT NULL, bid_quote_1pct FROM read_parquet('{rig.Layout.SeriesFile(Today, "binance")}')"));
        Assert.Equal(new object?[] { sweepId, HostileSymbol, true, null }, row);
        Assert.DoesNotContain(DuckDb.Query($"DESCRIBE SELECT * FROM read_parquet('{rig.Layout.SeriesFile(Today, "binance")}')"), c => (string)c[0]! == "bid_quote_3pct");
    }

    /// <summary>A sweep of binance's hostile symbol per price, each archived (and merged) by a pass of <paramref name="archiver"/>.</summary>
    private static async Task<List<long>> SweepAndArchiveAsync(ArchiveRig rig, SweepArchiver archiver, params double[] prices)
    {
        var sweeps = new List<long>();
        foreach (var price in prices)
        {
            sweeps.Add(await rig.StartSweepAsync("binance"));
            await rig.SweepExchangeAsync("binance", [HostileSymbol], price: price);
            await archiver.RunPassAsync(default);
        }

        return sweeps;
    }

    /// <summary>Today's list names the sweeps, its files hold their rows once, and the series reads each once.</summary>
    private static async Task AssertMergedAsync(ArchiveRig rig, IReadOnlyList<long> sweeps)
    {
        Assert.Equal(sweeps, rig.Series.Merged(Today).Order());
        AssertSeriesHoldTheMetricsRows(rig);
        await AssertSeriesAsync(rig, sweeps);
    }

    /// <summary>The day's series files hold exactly the rows of the day's metrics files, each once.</summary>
    private static void AssertSeriesHoldTheMetricsRows(ArchiveRig rig)
    {
        var series = $"read_parquet('{rig.Layout.SeriesFolder(Today)}/*.parquet', hive_partitioning = false)";
        var metrics = $"read_parquet('{rig.Layout.Root}/metrics/*/*.parquet', hive_partitioning = false)";
        Assert.Equal(0L, DuckDb.Query($"SELECT count(*) FROM (SELECT * FROM {series} EXCEPT ALL SELECT * FROM {metrics})").Single()[0]);
        Assert.Equal(0L, DuckDb.Query($"SELECT count(*) FROM (SELECT * FROM {metrics} EXCEPT ALL SELECT * FROM {series})").Single()[0]);
    }

    private static async Task AssertSeriesAsync(ArchiveRig rig, IReadOnlyList<long> sweeps)
    {
        using var reader = rig.Reader();
        var now = DateTimeOffset.UtcNow;
        var series = await reader.GetSeriesAsync("binance", HostileSymbol, now.AddHours(-1), now.AddMinutes(1), ["spread_bps"], default);
        Assert.Equal(sweeps, series.Select(p => p.SweepId));
        Assert.All(series, p => Assert.IsType<double>(p.Values["spread_bps"]));
    }
}
