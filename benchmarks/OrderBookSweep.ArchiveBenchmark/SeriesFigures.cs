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
/// (<see cref="ArchiveReader.GetSeriesAsync"/>) for books picked at random.
/// </summary>
internal static class SeriesFigures
{
    private const int Queries = 60;
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(30);

    public static async Task<SeriesResult> MeasureAsync(string root, SeededSweep seeded, BenchmarkSettings settings)
    {
        var layout = new ArchiveLayout(Path.Combine(root, "series"));
        var exchanges = SyntheticSweep.Exchanges(settings);
        var perExchange = settings.Books / settings.Exchanges;
        var start = DateTimeOffset.UtcNow.AddDays(-31);
        var books = exchanges.SelectMany(e => Enumerable.Range(0, perExchange).Select(i =>
        {
            var book = SyntheticSweep.Book(e, SyntheticSweep.Symbol(i), 1, settings.Levels, start);
            return (Exchange: e, Symbol: book.Symbol, Metrics: BookMetricsCalculator.Compute(book.Bids, book.Asks, Spot, book.Timestamp, book.FetchedAt, MetricBands.Default));
        })).ToList();

        var writing = Stopwatch.StartNew();
        for (var sweep = 1; sweep <= settings.Sweeps; sweep++)
        {
            var at = start + sweep * SweepEvery;
            await using var file = await ArchiveFile.CreateAsync(
                layout.File(ArchivePart.Metrics, sweep, DateOnly.FromDateTime(at.UtcDateTime)), new MetricRows(MetricBands.Default), default);
            foreach (var (exchange, symbol, metrics) in books)
            {
                ((MetricRows)file.Rows).Add(new BookSnapshot(exchange, symbol, [], [], null, null, null, sweep, "bench", at), "spot", metrics);
                await file.FlushIfFullAsync(default);
            }

            await file.CommitAsync(books.Count, durable: false, default);
        }

        var writeSeconds = writing.Elapsed.TotalSeconds;
        var from = start;
        var to = start + (settings.Sweeps + 1) * SweepEvery;
        using var reader = new ArchiveReader(layout);
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
        var files = layout.Files(ArchivePart.Metrics, DateOnly.FromDateTime(from.UtcDateTime), DateOnly.FromDateTime(to.UtcDateTime));
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using (var cache = duck.CreateCommand())
        {
            cache.CommandText = "SET parquet_metadata_cache = true;";
            cache.ExecuteNonQuery();
        }

        var list = "[" + string.Join(", ", files.Select(f => $"'{f}'")) + "]";
        var baseline = await Time(async _ =>
        {
            using var count = duck.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM read_parquet({list})";
            await count.ExecuteScalarAsync();
        });
        return new SeriesResult(all, one, baseline, points, files.Count, writeSeconds);
    }

    private static readonly MarketInfo Spot = new(MarketType.Spot, "COIN", "USDT", null, null, null, null);
}

internal sealed record SeriesResult(Percentiles AllFields, Percentiles OneField, Percentiles Baseline, int Points, int Files, double WriteSeconds);
