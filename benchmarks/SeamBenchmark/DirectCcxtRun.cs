using System.Diagnostics;
using System.Text.Json;

namespace SeamBenchmark;

/// <summary>The baseline: ccxt called directly by direct-ccxt.js, the same exchanges against the same simulator.</summary>
internal static class DirectCcxtRun
{
    public static async Task<Throughput> RunAsync(Uri simulator, TimeSpan warmUp, TimeSpan duration, IReadOnlyList<string> exchanges)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "direct-ccxt.js"),
                Path.Combine(AppContext.BaseDirectory, "ccxt-engine"),
                simulator.ToString(),
                warmUp.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        foreach (var exchange in exchanges)
        {
            startInfo.ArgumentList.Add(exchange);
        }
        using var process = Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"direct-ccxt.js failed with exit code {process.ExitCode}");
        }
        using var result = JsonDocument.Parse(output);
        var root = result.RootElement;
        return new Throughput(root.GetProperty("books").GetInt64(),
            TimeSpan.FromSeconds(root.GetProperty("seconds").GetDouble()),
            TimeSpan.FromSeconds(root.GetProperty("cpuSeconds").GetDouble()));
    }
}

/// <summary>Books done in a measured window, and the CPU the run used in it where it is known.</summary>
internal readonly record struct Throughput(long Books, TimeSpan Elapsed, TimeSpan Cpu = default)
{
    public double PerSecond => Books / Elapsed.TotalSeconds;

    public double MicrosecondsPerBook => Elapsed.TotalMicroseconds / Books;
}
