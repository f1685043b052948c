using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;
using OrderBookSweep.Scheduler.Archive;
using StackExchange.Redis;

namespace OrderBookSweep.ArchiveBenchmark;

/// <summary>
/// The writer in a process of its own: "archive" writes the seeded sweep's files the way the
/// archiver does when the sweep has ended before any exchange was staged (the most work left at
/// the end); "idle" starts the same way and only reads the sweep, the baseline of the memory figure.
/// </summary>
internal static class ArchiveChild
{
    public static async Task<int> RunAsync(string mode, BenchmarkSettings settings)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(settings.Redis!);
        var options = Options.Create(new CoordinationOptions());
        var sweep = await new SweepStore(connection, options).GetSweepAsync(settings.SweepId, default)
            ?? throw new InvalidOperationException($"No sweep {settings.SweepId} in Redis.");
        var writer = new SweepArchiveWriter(new ArchiveLayout(settings.Root!), new ResultStore(connection, options), MetricBands.Default);
        var clock = Stopwatch.StartNew();
        var books = mode == "archive" ? (await writer.FinishSweepAsync(sweep, default)).Books : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {clock.Elapsed.TotalSeconds} {PeakRssKiB()} {books}"));
        return 0;
    }

    public static async Task<ChildFigures> SpawnAsync(string mode, BenchmarkSettings settings, string redis, string root, long sweepId)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true };
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
            long.Parse(result[2], CultureInfo.InvariantCulture) / 1024.0,
            int.Parse(result[3], CultureInfo.InvariantCulture));
    }

    /// <summary>VmHWM: the most resident memory this process has had.</summary>
    private static long PeakRssKiB() =>
        long.Parse(File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

internal sealed record ChildFigures(double Seconds, double PeakRssMiB, int Books);
