using System.Diagnostics;
using System.Globalization;
using OrderBookSweep.ArchiveBenchmark;
using OrderBookSweep.Harness;

// The archive's targets (docs/archive.md, "Figures") on a synthetic sweep in a real redis-server:
//   dotnet run -c Release --project benchmarks/OrderBookSweep.ArchiveBenchmark [-- --books 20000 --levels 100 --sweeps 1440]
// --sweeps 0 measures the writer only.
// The writer runs in a child process of its own, so its peak RSS is the writer's alone.
var settings = BenchmarkSettings.Parse(args);
if (settings.ChildMode is { } mode)
{
    return await ArchiveChild.RunAsync(mode, settings);
}

Console.WriteLine($"Archive benchmark: {settings.Books:N0} books of {settings.Levels} levels a side, {settings.Exchanges} exchanges; series over {settings.Sweeps:N0} sweeps");
await using var redis = await RedisServer.StartAsync();
var root = Directory.CreateTempSubdirectory("obs-archive-bench-").FullName;
try
{
    var seeded = await SyntheticSweep.SeedAsync(redis.ConnectionString, settings);
    Console.WriteLine($"Seeded sweep {seeded.SweepId}: {seeded.Books:N0} books, {seeded.JsonBytes / (double)seeded.Books:N0} bytes of JSON per book in Redis");

    var idle = await ArchiveChild.SpawnAsync("idle", settings, redis.ConnectionString, root, seeded.SweepId);
    var cold = await ArchiveChild.SpawnAsync("cold", settings, redis.ConnectionString, root, seeded.SweepId);
    var archive = await ArchiveChild.SpawnAsync("archive", settings, redis.ConnectionString, root, seeded.SweepId);
    var books = new ArchiveFigures(root, seeded);
    Console.WriteLine();
    Console.WriteLine("| figure | measured | target |");
    Console.WriteLine("|---|---|---|");
    Console.WriteLine($"| books file bytes per book / its JSON | {books.BooksBytesPerBook:N0} / {seeded.JsonBytes / (double)seeded.Books:N0} = {books.BooksRatio:0.000} | <= 0.35 |");
    Console.WriteLine($"| books + metrics files per book / its JSON | {books.AllRatio:0.000} | (for reference) |");
    Console.WriteLine($"| sweep archived after its end, exchanges staged as they finished (staging them took {archive.StagingSeconds:0.0} s during the sweep) | {archive.Seconds:0.00} s | <= 10 s |");
    Console.WriteLine($"| the same, nothing staged before the end (a restart at the sweep's end) | {cold.Seconds:0.00} s | |");
    Console.WriteLine($"| writer's peak RSS, staged / nothing staged (idle child with the same start-up: {idle.PeakRssMiB:0} MiB) | {archive.PeakRssMiB:0} / {cold.PeakRssMiB:0} MiB | <= 150 MiB |");
    Console.WriteLine($"| writer's CPU time in all, staged / nothing staged (idle child: {idle.CpuSeconds:0.0} s) | {archive.CpuSeconds:0.0} / {cold.CpuSeconds:0.0} s | |");

    if (settings.Sweeps == 0)
    {
        return 0;
    }

    var series = await SeriesFigures.MeasureAsync(root, seeded, settings);
    Console.WriteLine($"| one book's series over {settings.Sweeps:N0} sweeps, all metrics fields, p50 / p99 | {series.AllFields.P50:0} / {series.AllFields.P99:0} ms | p99 <= 200 ms |");
    Console.WriteLine($"| the same, spread_bps only, p50 / p99 | {series.OneField.P50:0} / {series.OneField.P99:0} ms | |");
    Console.WriteLine($"| baseline: count(*) over the series files it reads, p50 / p99 | {series.Baseline.P50:0} / {series.Baseline.P99:0} ms | |");
    Console.WriteLine($"| merging the last sweep into its day's series files ({series.SweepsBeforeLast} sweeps of {settings.Books:N0} books before it), wall / CPU / peak RSS | {series.MergeOne.Seconds:0.00} s / {series.MergeOne.CpuSeconds:0.0} s / {series.MergeOne.PeakRssMiB:0} MiB | |");
    Console.WriteLine($"(series: {series.Points} points a query, {series.Files:N0} files read, {series.WriteSeconds:0} s to write the sweeps' metrics files, {series.MergeDaysSeconds:0} s to merge {series.Days} days of them at once)");
    return 0;
}
finally
{
    Directory.Delete(root, recursive: true);
}
