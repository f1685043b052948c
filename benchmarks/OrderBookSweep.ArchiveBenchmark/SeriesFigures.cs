using System.Diagnostics;
using DuckDB.NET.Data;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;
using OrderBookSweep.Harness.Rehearsals;
using OrderBookSweep.Scheduler.Archive;

namespace OrderBookSweep.ArchiveBenchmark;

/// <summary>
/// One book's metrics series over a synthetic archive of many sweeps, every 30 minutes (1,440 is 30
/// days), each with the seeded sweep's books and metrics at its own time, queried as the API does
/// (<see cref="ArchiveReader.GetSeriesAsync"/>) for books picked at random. The sweeps' metrics
/// files have a row group per exchange, as the writer's do. Each day's sweeps are merged into its
/// series files at once (as the archiver catches up after a restart), but the last sweep, which a
/// child process merges on its own into its day's others, as the archiver does after each sweep.
/// </summary>
internal static class SeriesFigures
{
    private const int Queries = 60;
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(30);

    public static async Task<SeriesResult> MeasureAsync(string root, SeededSweep seeded, BenchmarkSettings settings)
    {
        var layout = new ArchiveLayout(Path.Combine(root, "series"));
        var index = new SeriesIndex(layout, MetricBands.Default);
        var exchanges = SyntheticSweep.Exchanges(settings);
        var perExchange = settings.Books / settings.Exchanges;
        var start = DateTimeOffset.UtcNow.AddDays(-31);
        var books = exchanges.SelectMany(e => Enumerable.Range(0, perExchange).Select(i =>
        {
            var book = SyntheticSweep.Book(e, SyntheticSweep.Symbol(i), 1, settings.Levels, start);
            return (Exchange: e, Symbol: book.Symbol, Metrics: BookMetricsCalculator.Compute(book.Bids, book.Asks, Spot, book.Timestamp, book.FetchedAt, MetricBands.Default));
        })).ToList();

        var writing = Stopwatch.StartNew();
        var days = new SortedDictionary<DateOnly, List<long>>();
        for (var sweep = 1; sweep <= settings.Sweeps; sweep++)
        {
            var at = start + sweep * SweepEvery;
            var date = DateOnly.FromDateTime(at.UtcDateTime);
            await using var file = await ArchiveFile.CreateAsync(layout.File(ArchivePart.Metrics, sweep, date), new MetricRows(MetricBands.Default), default);
            string? previous = null;
            foreach (var (exchange, symbol, metrics) in books)
            {
                if (previous is not null && exchange != previous)
                {
                    await file.FlushAsync(default);
                }

                previous = exchange;
                ((MetricRows)file.Rows).Add(new BookSnapshot(exchange, symbol, [], [], null, null, null, sweep, "bench", at), "spot", metrics);
            }

            await file.CommitAsync(books.Count, durable: false, default);
            (days.TryGetValue(date, out var ids) ? ids : days[date] = []).Add(sweep);
        }

        var writeSeconds = writing.Elapsed.TotalSeconds;
        var merging = Stopwatch.StartNew();
        var last = settings.Sweeps;
        foreach (var (date, ids) in days)
        {
            await index.MergeAsync(date, [.. ids.Where(id => id != last)], default);
        }

        var mergeDaysSeconds = merging.Elapsed.TotalSeconds;
        var mergeOne = await ArchiveChild.SpawnAsync("merge", settings, "", layout.Root, last);
        var from = start;
        var to = start + (settings.Sweeps + 1) * SweepEvery;
        using var reader = new ArchiveReader(layout, index);
        var random = new Random(7);
        var points = 0;
        async Task<Percentiles> Time(Func<(string Exchange, string Symbol), Task> query)
        {
            for (var i = 0; i < 3; i++)
            {
                await query(Pick());
            }

            var times = new List<double>();
            for (var i = 0; i < Queries; i++)
            {
                var pick = Pick();
                var clock = Stopwatch.StartNew();
                await query(pick);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            return Percentiles.Of(times);
        }

        (string, string) Pick() => (books[random.Next(books.Count)].Exchange, books[random.Next(books.Count)].Symbol);

        var fields = MetricRows.Fields(MetricBands.Default);
        var all = await Time(async b => points = (await reader.GetSeriesAsync(b.Exchange, b.Symbol, from, to, fields, default)).Count);
        var one = await Time(async b => await reader.GetSeriesAsync(b.Exchange, b.Symbol, from, to, ["spread_bps"], default));
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        var files = 0;
        var baseline = await Time(async b =>
        {
            var list = days.Keys.Select(d => layout.SeriesFile(d, b.Exchange)!).Where(File.Exists).ToList();
            files = list.Count;
            using var count = duck.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM read_parquet({ArchiveReader.FileList(list)})";
            await count.ExecuteScalarAsync();
        });
        return new SeriesResult(all, one, baseline, points, files, writeSeconds, days.Count, mergeDaysSeconds, mergeOne, days.Values.Last().Count - 1);
    }

    private static readonly MarketInfo Spot = new(MarketType.Spot, "COIN", "USDT", null, null, null, null);
}

internal sealed record SeriesResult(
    Percentiles AllFields, Percentiles OneField, Percentiles Baseline, int Points, int Files, double WriteSeconds, int Days, double MergeDaysSeconds, ChildFigures MergeOne,
    int SweepsBeforeLast);
