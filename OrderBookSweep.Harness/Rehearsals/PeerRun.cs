using System.Reflection;

namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>
/// The single-process peer (peer.js): ccxt's "async gather concurrency" example, 5 exchanges at
/// a time, against the same simulator as the system.
/// </summary>
public static class PeerRun
{
    private static readonly string EngineDirectory = typeof(PeerRun).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CcxtEngineDirectory").Value!;

    /// <param name="symbolConcurrency">Books in flight per exchange: the worker's Worker:SymbolConcurrency, so both sides ask alike.</param>
    /// <param name="passes">Sweeps in one Node process; the last is reported (2: a warm peer).</param>
    /// <param name="rateLimitScale">Exchanges:RateLimitScale, applied as the engine applies it.</param>
    public static async Task<PeerResult> RunAsync(
        Uri simulator, bool enableRateLimit, int exchangeConcurrency, int symbolConcurrency, int passes, IReadOnlyList<string> exchanges,
        double rateLimitScale = 1)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        using var result = await NodeScript.RunAsync("peer.js",
        [
            EngineDirectory,
            simulator.ToString(),
            enableRateLimit ? "true" : "false",
            rateLimitScale.ToString(invariant),
            exchangeConcurrency.ToString(invariant),
            symbolConcurrency.ToString(invariant),
            passes.ToString(invariant),
            .. exchanges,
        ]);
        var root = result.RootElement;
        var durations = root.GetProperty("exchanges").EnumerateObject()
            .ToDictionary(e => e.Name, e => TimeSpan.FromSeconds(e.Value.GetProperty("seconds").GetDouble()), StringComparer.Ordinal);
        return new PeerResult(
            root.GetProperty("runtime").GetString()!,
            TimeSpan.FromSeconds(root.GetProperty("seconds").GetDouble()),
            TimeSpan.FromSeconds(root.GetProperty("cpuSeconds").GetDouble()),
            root.GetProperty("books").GetInt64(),
            root.GetProperty("failed").GetInt64(),
            durations);
    }
}

/// <summary>One peer run: ccxt and node versions, wall and CPU time, books fetched and failed, each exchange's own duration.</summary>
public sealed record PeerResult(string Runtime, TimeSpan Elapsed, TimeSpan Cpu, long Books, long Failed, IReadOnlyDictionary<string, TimeSpan> Durations)
{
    public double BooksPerSecond => Books / Elapsed.TotalSeconds;
}
