using OrderBookSweep.Harness;

namespace OrderBookSweep.SeamBenchmark;

/// <summary>The baseline: ccxt called directly by direct-ccxt.js, the same exchanges against the same simulator.</summary>
internal static class DirectCcxtRun
{
    public static async Task<Throughput> RunAsync(Uri simulator, TimeSpan warmUp, TimeSpan duration, int inFlight, IReadOnlyList<string> exchanges)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        using var result = await NodeScript.RunAsync("direct-ccxt.js",
        [
            Path.Combine(AppContext.BaseDirectory, "ccxt-engine"),
            simulator.ToString(),
            warmUp.TotalSeconds.ToString(invariant),
            duration.TotalSeconds.ToString(invariant),
            inFlight.ToString(invariant),
            .. exchanges,
        ]);
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
