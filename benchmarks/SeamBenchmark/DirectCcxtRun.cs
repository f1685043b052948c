using System.Diagnostics;
using System.Text.Json;

namespace SeamBenchmark;

/// <summary>The baseline: ccxt called directly by direct-ccxt.js, the same exchanges against the same simulator.</summary>
internal static class DirectCcxtRun
{
    public static async Task<Throughput> RunAsync(Uri simulator, TimeSpan duration, IReadOnlyList<string> exchanges)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "direct-ccxt.js"),
                Path.Combine(AppContext.BaseDirectory, "ccxt-engine"),
                simulator.ToString(),
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
        return new Throughput(result.RootElement.GetProperty("books").GetInt64(),
            TimeSpan.FromSeconds(result.RootElement.GetProperty("seconds").GetDouble()));
    }
}

internal readonly record struct Throughput(long Books, TimeSpan Elapsed)
{
    public double PerSecond => Books / Elapsed.TotalSeconds;

    public double MicrosecondsPerBook => Elapsed.TotalMicroseconds / Books;
}
