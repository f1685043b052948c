using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderBookSweep.Coordination;
using OrderBookSweep.Harness;
using OrderBookSweep.Scheduler.Archive;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>
/// The archive's writer, archiver and retention on Garnet in this process, read back by DuckDB
/// on its own. Each test costs well under a second (a 2,500-level case about 1 s), plus Garnet's
/// start once for the class.
/// </summary>
public sealed class ArchiveTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    /// <summary>Quotes, SQL, markup, a path separator and non-ASCII: a symbol is an exchange's string.</summary>
    private const string HostileSymbol = "<script>alert('x')</script>\"; DROP TABLE books;--/ÜSDT ../..\\é";

    [Fact]
    public async Task A_sweep_with_a_failed_exchange_is_archived_whole_and_DuckDB_reads_the_same_rows()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var archiver = rig.NewArchiver();
        var sweepId = await rig.StartSweepAsync("binance", "kraken", "okx");
        var stored = new List<BookSnapshot>();
        stored.AddRange(await rig.SweepExchangeAsync("binance", ["BTC/USDT", HostileSymbol, "ETH/USDT"], failed: 2));
        await archiver.RunPassAsync(default);
        Assert.Equal(["binance"], await rig.Writer.StagedExchangesAsync((await rig.Sweeps.GetSweepAsync(sweepId, default))!, default));
        Assert.Null(rig.Layout.Find(ArchivePart.Books, sweepId));

        await rig.FailExchangeAsync("kraken");
        stored.AddRange(await rig.SweepExchangeAsync("okx", ["BTC/USDT:USDT", "SOL/USDT"], levels: 2_500));
        await archiver.RunPassAsync(default);

        var sweep = (await rig.Sweeps.GetSweepAsync(sweepId, default))!;
        Assert.Equal(SweepState.Completed, sweep.State);
        Assert.Equal(stored.Count, sweep.Outcomes.Values.Sum(o => o.SymbolsOk));
        // okx ended in the pass that found the sweep finished: staged then, while writing the files.
        Assert.Equal(new SweepArchiveResult(sweepId, DateOnly.FromDateTime(sweep.CreatedAt.UtcDateTime), stored.Count, stored.Count, StagedLate: 1), archiver.Status.LastArchived);
        Assert.Empty(Directory.EnumerateFiles(rig.Layout.Root, "*" + ArchiveLayout.TempSuffix, SearchOption.AllDirectories));

        // Every level of every stored book, and nothing else, in DuckDB's reading of Parquet.Net's file.
        var books = rig.Layout.Find(ArchivePart.Books, sweepId)!;
        var rows = DuckDb.Query($"""
            SELECT sweep_id, exchange, symbol, market_type, epoch_ms(fetched_at), epoch_ms(exchange_ts), side, level, price, amount
            FROM read_parquet('{books}') ORDER BY exchange, symbol, side DESC, level
            """);
        var expected = stored.OrderBy(b => b.Exchange, StringComparer.Ordinal).ThenBy(b => b.Symbol, StringComparer.Ordinal)
            .SelectMany(b => b.Bids.Select((l, i) => ("bid", i, l)).Concat(b.Asks.Select((l, i) => ("ask", i, l)))
                .Select(x => new object?[] { sweepId, b.Exchange, b.Symbol, null, b.FetchedAt.ToUnixTimeMilliseconds(), b.Timestamp, x.Item1, x.i, x.l.Price, x.l.Amount }))
            .ToList();
        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(3 * 10 + 2 * 5_000, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i], rows[i]);
        }

        // One row per exchange, the failed one too.
        var outcomes = DuckDb.Query($"SELECT exchange, outcome, symbols_ok, symbols_failed, error_class, attempts FROM read_parquet('{rig.Layout.Find(ArchivePart.Outcomes, sweepId)}') ORDER BY exchange");
        Assert.Equal(
            [["binance", "partial", 3, 2, "RequestTimeout", 1], ["kraken", "failed", 0, 0, "ExchangeNotAvailable", 1], ["okx", "succeeded", 2, 0, null, 1]],
            outcomes.Select(r => r.ToArray()).ToArray());

        // The service's reader gives the hostile book back as it was stored.
        using var reader = rig.Reader();
        var book = await reader.GetBookAsync("binance", HostileSymbol, DateTimeOffset.UtcNow, default);
        var original = stored.Single(b => b.Symbol == HostileSymbol);
        Assert.Equal((sweepId, original.FetchedAt), (book!.SweepId, book.FetchedAt));
        Assert.Equal(original.Bids, book.Bids);
        Assert.Equal(original.Asks, book.Asks);
        Assert.Null(await reader.GetBookAsync("binance", "NOT/LISTED", DateTimeOffset.UtcNow, default));
    }

    [Fact]
    public async Task The_metrics_file_holds_one_row_per_book_and_a_series_reads_them_across_sweeps_as_JSON_values_and_CSV()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var archiver = rig.NewArchiver();
        var stored = new List<BookSnapshot>();
        foreach (var price in new[] { 100.0, 200.0 })
        {
            await rig.StartSweepAsync("binance");
            stored.AddRange(await rig.SweepExchangeAsync("binance", [HostileSymbol, "ETH/USDT"], price: price));
            await archiver.RunPassAsync(default);
        }

        var metrics = DuckDb.Query($"SELECT sweep_id, symbol, spread_bps, bid_levels, crossed, age_ms, bid_quote_1pct, buy_bps_100000 FROM read_parquet('{rig.Layout.Root}/metrics/*/*.parquet') ORDER BY sweep_id, symbol");
        Assert.Equal(stored.Count, metrics.Count);
        var expected = stored.OrderBy(b => b.SweepId).ThenBy(b => b.Symbol, StringComparer.Ordinal).ToList();
        for (var i = 0; i < metrics.Count; i++)
        {
            var book = expected[i];
            var computed = OrderBookSweep.Coordination.Metrics.BookMetricsCalculator.Compute(
                book.Bids, book.Asks, new(OrderBookSweep.Coordination.Metrics.MarketType.Swap, "", "", null, null, null, null), book.Timestamp, book.FetchedAt,
                OrderBookSweep.Coordination.Metrics.MetricBands.Default);
            // Depth and slippage need the market's terms, which a stored book does not carry: null, not invented.
            Assert.Equal(new object?[] { book.SweepId, book.Symbol, computed.SpreadBps, 5, false, 40L, null, null }, metrics[i]);
        }

        using var reader = rig.Reader();
        var now = DateTimeOffset.UtcNow;
        var series = await reader.GetSeriesAsync("binance", HostileSymbol, now.AddHours(-1), now.AddMinutes(1), ["spread_bps", "crossed", "bid_quote_1pct"], default);
        Assert.Equal(expected.Where(b => b.Symbol == HostileSymbol).Select(b => (b.SweepId, b.FetchedAt)), series.Select(p => (p.SweepId, p.FetchedAt)));
        Assert.All(series, p => Assert.Equal(false, p.Values["crossed"]));
        Assert.All(series, p => Assert.Null(p.Values["bid_quote_1pct"]));
        Assert.Empty(await reader.GetSeriesAsync("binance", HostileSymbol, now.AddDays(-3), now.AddDays(-2), ["spread_bps"], default));

        var csv = HistoryCsv.Write(["spread_bps", "crossed", "bid_quote_1pct"], series).Split("\r\n");
        Assert.Equal("sweep_id,fetched_at,spread_bps,crossed,bid_quote_1pct", csv[0]);
        Assert.Equal($"{series[0].SweepId},{series[0].FetchedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'},{((double)series[0].Values["spread_bps"]!).ToString("R", System.Globalization.CultureInfo.InvariantCulture)},false,", csv[1]);
        Assert.Equal(4, csv.Length);
    }

    [Fact]
    public async Task Books_replaced_by_a_later_sweep_after_their_exchange_finished_stay_those_of_their_sweep()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var archiver = rig.NewArchiver();
        var first = await rig.StartSweepAsync("binance", "kraken");
        var firstBooks = await rig.SweepExchangeAsync("binance", ["BTC/USDT"], price: 100);
        await archiver.RunPassAsync(default);

        // binance is free again: a forced sweep takes it while the first is still running.
        var second = await rig.StartSweepAsync("binance");
        var krakenBooks = await rig.SweepExchangeAsync("kraken", ["XBT/USD"]);
        await rig.SweepExchangeAsync("binance", ["BTC/USDT"], price: 200);
        Assert.Equal(second, (await rig.Results.GetBookAsync("binance", "BTC/USDT", default))!.SweepId);
        await archiver.RunPassAsync(default);

        var prices = DuckDb.Query($"SELECT sweep_id, exchange, price FROM read_parquet('{rig.Layout.Find(ArchivePart.Books, first)}') WHERE level = 0 AND side = 'bid' ORDER BY exchange");
        Assert.Equal([[first, "binance", firstBooks[0].Bids[0].Price], [first, "kraken", krakenBooks[0].Bids[0].Price]], prices.Select(r => r.ToArray()).ToArray());
        Assert.True(archiver.Status.LastArchived!.Complete);
    }

    [Fact]
    public async Task A_crash_mid_write_leaves_no_file_a_reader_sees_and_a_restart_writes_the_same_rows()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var sweepId = await rig.StartSweepAsync("binance");
        await rig.SweepExchangeAsync("binance", ["BTC/USDT", "ETH/USDT"]);
        var sweep = (await rig.Sweeps.GetSweepAsync(sweepId, default))!;

        // Killed while appending to the books file: a temporary file cut short is all that is left.
        await rig.Writer.StageExchangeAsync(sweep, "binance", sweep.Outcomes["binance"], default);
        var books = rig.Layout.File(ArchivePart.Books, sweepId, DateOnly.FromDateTime(sweep.CreatedAt.UtcDateTime));
        await using (var temp = new FileStream(books + ArchiveLayout.TempSuffix, FileMode.Open))
        {
            temp.SetLength(temp.Length / 2);
        }

        Assert.Empty(DuckDb.Query($"SELECT * FROM glob('{rig.Layout.Root}/books/*/*.parquet')"));

        // After the restart, the archiver finishes it.
        await rig.NewArchiver().RunPassAsync(default);
        Assert.False(File.Exists(books + ArchiveLayout.TempSuffix));
        var firstRows = DuckDb.Query($"SELECT * FROM read_parquet('{rig.Layout.Root}/books/*/*.parquet') ORDER BY ALL");
        Assert.Equal(20, firstRows.Count);

        // Archived again (its outcomes file lost): the same rows, no duplicates.
        File.Delete(rig.Layout.Find(ArchivePart.Outcomes, sweepId)!);
        await rig.NewArchiver().RunPassAsync(default);
        Assert.Equal(firstRows, DuckDb.Query($"SELECT * FROM read_parquet('{rig.Layout.Root}/books/*/*.parquet') ORDER BY ALL"));
    }

    [Fact]
    public async Task Exchanges_staged_before_a_restart_are_not_read_again_and_an_append_cut_short_starts_the_sweep_over()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var sweepId = await rig.StartSweepAsync("binance", "kraken", "okx");
        var binance = await rig.SweepExchangeAsync("binance", ["BTC/USDT", HostileSymbol]);
        await rig.NewArchiver().RunPassAsync(default);
        var kraken = await rig.SweepExchangeAsync("kraken", ["XBT/USD"]);
        await rig.NewArchiver().RunPassAsync(default);
        var sweep = (await rig.Sweeps.GetSweepAsync(sweepId, default))!;
        Assert.Equal(["binance", "kraken"], (await rig.Writer.StagedExchangesAsync(sweep, default)).Order(StringComparer.Ordinal));

        // A restart; meanwhile okx ends the sweep and a later sweep replaces binance's books: read again, they would be lost.
        var later = await rig.StartSweepAsync("binance", "kraken");
        var okx = await rig.SweepExchangeAsync("okx", ["SOL/USDT"]);
        await rig.SweepExchangeAsync("binance", ["BTC/USDT", HostileSymbol], price: 500);
        var archiver = rig.NewArchiver();
        await archiver.RunPassAsync(default);
        Assert.Equal(new SweepArchiveResult(sweepId, DateOnly.FromDateTime(sweep.CreatedAt.UtcDateTime), 4, 4, StagedLate: 1), archiver.Status.LastArchived);
        var prices = DuckDb.Query($"SELECT exchange, symbol, price FROM read_parquet('{rig.Layout.Find(ArchivePart.Books, sweepId)}') WHERE level = 0 AND side = 'bid' ORDER BY exchange, symbol");
        Assert.Equal(
            binance.Concat(kraken).Concat(okx).OrderBy(b => b.Exchange, StringComparer.Ordinal).ThenBy(b => b.Symbol, StringComparer.Ordinal).Select(b => new object[] { b.Exchange, b.Symbol, b.Bids[0].Price }),
            prices.Select(r => r.ToArray()));

        // A crash between the metrics append and the books append of kraken in the later sweep:
        // the two files disagree, the sweep starts over from Redis, and each book is archived once.
        await rig.SweepExchangeAsync("kraken", ["XBT/USD", "ETH/USD"]);
        var laterSweep = (await rig.Sweeps.GetSweepAsync(later, default))!;
        Assert.Equal(["binance"], await rig.Writer.StagedExchangesAsync(laterSweep, default));
        var laterBooks = rig.Layout.File(ArchivePart.Books, later, DateOnly.FromDateTime(laterSweep.CreatedAt.UtcDateTime)) + ArchiveLayout.TempSuffix;
        var before = await File.ReadAllBytesAsync(laterBooks);
        await rig.Writer.StageExchangeAsync(laterSweep, "kraken", laterSweep.Outcomes["kraken"], default);
        await File.WriteAllBytesAsync(laterBooks, before);
        Assert.Empty(await rig.Writer.StagedExchangesAsync(laterSweep, default));
        archiver = rig.NewArchiver();
        await archiver.RunPassAsync(default);
        Assert.True(archiver.Status.LastArchived is { Complete: true, Books: 4, StagedLate: 2 }, $"{archiver.Status.LastArchived}");
        Assert.Equal(
            [[40L, 40L]],
            DuckDb.Query($"SELECT count(*), count(DISTINCT (exchange, symbol, side, level)) FROM read_parquet('{rig.Layout.Find(ArchivePart.Books, later)}')").Select(r => r.ToArray()));
        Assert.Equal(
            [[4L, 4L]],
            DuckDb.Query($"SELECT count(*), count(DISTINCT (exchange, symbol)) FROM read_parquet('{rig.Layout.Find(ArchivePart.Metrics, later)}')").Select(r => r.ToArray()));
    }

    [Fact]
    public async Task A_folder_that_refuses_writes_degrades_health_and_the_archive_catches_up_when_it_accepts_them()
    {
        var parent = Directory.CreateTempSubdirectory("obs-archive-refusing-").FullName;
        var blocker = Path.Combine(parent, "disk");
        // A file where the archive's folder should be: every directory creation under it fails, even as root.
        await File.WriteAllTextAsync(blocker, "not a folder");
        await using var rig = await ArchiveRig.StartAsync(garnet, root: Path.Combine(blocker, "archive"));
        var archiver = rig.NewArchiver();
        var health = new ArchiveHealthCheck(archiver);
        var sweepId = await rig.StartSweepAsync("binance");
        await rig.SweepExchangeAsync("binance", ["BTC/USDT"]);

        await archiver.RunPassAsync(default);
        var degraded = await health.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("archive refuses writes", degraded.Description, StringComparison.Ordinal);
        // Sweeping goes on meanwhile.
        var next = await rig.StartSweepAsync("kraken");
        await rig.SweepExchangeAsync("kraken", ["XBT/USD"]);
        await archiver.RunPassAsync(default);
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(new HealthCheckContext())).Status);

        File.Delete(blocker);
        await archiver.RunPassAsync(default);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.NotNull(rig.Layout.Find(ArchivePart.Outcomes, sweepId));
        Assert.NotNull(rig.Layout.Find(ArchivePart.Outcomes, next));
        Directory.Delete(parent, recursive: true);
    }

    [Fact]
    public async Task Retention_deletes_the_oldest_sweeps_by_age_then_by_bytes_never_the_newest_and_none_comes_back()
    {
        await using var rig = await ArchiveRig.StartAsync(garnet);
        var sweepId = await rig.StartSweepAsync("binance");
        await rig.SweepExchangeAsync("binance", ["BTC/USDT", "ETH/USDT"], levels: 100);
        await rig.NewArchiver().RunPassAsync(default);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var archived = new ArchivedSweep(sweepId, today);

        // Copies of it as older sweeps: ids 1001.. on the dates 40, 20, 10 and 5 days ago.
        var older = new[] { 40, 20, 10, 5 }.Select((days, i) => new ArchivedSweep(1001 + i, today.AddDays(-days))).ToList();
        foreach (var copy in older)
        {
            foreach (var part in Enum.GetValues<ArchivePart>())
            {
                var target = rig.Layout.File(part, copy.SweepId, copy.Date);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(rig.Layout.File(part, sweepId, today), target);
            }
        }

        rig.Options.RetainDays = 30;
        Assert.Equal([1001], rig.Retention().Apply());

        // By bytes: room for two sweeps keeps the two newest by date (the real one is today's).
        var size = Enum.GetValues<ArchivePart>().Sum(part => new FileInfo(rig.Layout.File(part, sweepId, today)).Length);
        rig.Options.MaxBytes = 2 * size;
        Assert.Equal([1002, 1003], rig.Retention().Apply());
        Assert.Equal([new ArchivedSweep(1004, today.AddDays(-5)), archived], rig.Layout.ArchivedSweeps());
        Assert.False(Directory.Exists(Path.GetDirectoryName(rig.Layout.File(ArchivePart.Books, 1002, today.AddDays(-20)))));

        // Too small for even one: the newest stays.
        rig.Options.MaxBytes = 1;
        Assert.Equal([1004], rig.Retention().Apply());
        Assert.Equal([archived], rig.Layout.ArchivedSweeps());
        Assert.Equal(1004, ArchiveRetention.RetiredUpTo(rig.Layout));
    }

    [Fact]
    public void Settings_out_of_range_fail_at_start_with_their_names()
    {
        var options = new ArchiveOptions { Path = " ", RetainDays = 0, MaxBytes = 10, PollInterval = TimeSpan.Zero, MaxQueryDays = 0 };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();
        Assert.Equal(5, errors.Count);
        foreach (var name in new[] { "Archive:Path", "Archive:RetainDays", "Archive:MaxBytes", "Archive:PollInterval", "Archive:MaxQueryDays" })
        {
            Assert.Contains(errors, e => e!.StartsWith(name, StringComparison.Ordinal));
        }

        Assert.Empty(new ArchiveOptions().Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new ArchiveOptions())));
    }
}
