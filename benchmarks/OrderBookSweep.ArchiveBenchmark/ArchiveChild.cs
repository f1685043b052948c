using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;
using OrderBookSweep.Scheduler.Archive;
using StackExchange.Redis;

namespace OrderBookSweep.ArchiveBenchmark;

/// <summary>
/// The writer in a process of its own, with the scheduler's garbage collector (server) and malloc settings: "archive"
/// stages the seeded sweep's exchanges one by one in the order they finished, as the archiver does
/// while the sweep runs, but the last, then times what is left at the sweep's end (staging the
/// last exchange, publishing the files); "cold" times writing the whole sweep at its end, nothing
/// staged before (the archiver after a restart at the sweep's end); "idle" starts the same way and
/// only reads the sweep, the baseline of the memory figure; "merge" merges an archived sweep into
/// its day's series files (<see cref="SeriesIndex"/>), as the archiver does after writing it.
/// </summary>
internal static class ArchiveChild
{
    public static async Task<int> RunAsync(string mode, BenchmarkSettings settings)
    {
        if (mode == "merge")
        {
            var layout = new ArchiveLayout(settings.Root!);
            var file = layout.Find(ArchivePart.Metrics, settings.SweepId) ?? throw new InvalidOperationException($"Sweep {settings.SweepId} has no metrics file.");
            var date = DateOnly.ParseExact(Path.GetFileName(Path.GetDirectoryName(file))!["date=".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var timer = Stopwatch.StartNew();
            var exchanges = await new SeriesIndex(layout, MetricBands.Default).MergeAsync(date, [settings.SweepId], default);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT {timer.Elapsed.TotalSeconds} 0 {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds} {PeakRssKiB()} {exchanges}"));
            return 0;
        }

        await using var connection = await ConnectionMultiplexer.ConnectAsync(settings.Redis!);
        var options = Options.Create(new CoordinationOptions());
        var sweep = await new SweepStore(connection, options).GetSweepAsync(settings.SweepId, default)
            ?? throw new InvalidOperationException($"No sweep {settings.SweepId} in Redis.");
        var writer = new SweepArchiveWriter(new ArchiveLayout(settings.Root!), new ResultStore(connection, options), MetricBands.Default);
        var clock = Stopwatch.StartNew();
        if (mode == "archive")
        {
            foreach (var (exchange, outcome) in sweep.Outcomes.OrderBy(o => o.Value.FinishedAt).SkipLast(1))
            {
                await writer.StageExchangeAsync(sweep, exchange, outcome, default);
            }
        }

        var staging = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var books = mode == "idle" ? 0 : (await writer.FinishSweepAsync(sweep, default)).Books;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {clock.Elapsed.TotalSeconds} {staging} {cpu} {PeakRssKiB()} {books}"));
        return 0;
    }

    public static async Task<ChildFigures> SpawnAsync(string mode, BenchmarkSettings settings, string redis, string root, long sweepId)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true };
        info.Environment["DOTNET_gcServer"] = "1";
        // The scheduler's malloc settings in the deploy overlay (deploy/patches/scheduler.yaml).
        info.Environment["MALLOC_ARENA_MAX"] = "2";
        info.Environment["MALLOC_MMAP_THRESHOLD_"] = "131072";
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ArchiveChild).Assembly.Location);
        }

        foreach (var arg in settings.ChildArguments(mode, redis, root, sweepId))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var result = output.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Split(' ');
        return new ChildFigures(
            double.Parse(result[1], CultureInfo.InvariantCulture),
            double.Parse(result[2], CultureInfo.InvariantCulture),
            double.Parse(result[3], CultureInfo.InvariantCulture),
            long.Parse(result[4], CultureInfo.InvariantCulture) / 1024.0,
            int.Parse(result[5], CultureInfo.InvariantCulture));
    }

    /// <summary>VmHWM: the most resident memory this process has had.</summary>
    private static long PeakRssKiB() =>
        long.Parse(File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

/// <summary>
/// A child's figures: seconds from the sweep's end to its files (or merging it), seconds staging during the sweep, the
/// process's CPU seconds in all, its peak RSS, and the books written (or the exchanges merged).
/// </summary>
internal sealed record ChildFigures(double Seconds, double StagingSeconds, double CpuSeconds, double PeakRssMiB, int Books);
