using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// The realistic profile's network: each answer waits the exchange's typical latency times a
/// log-normal jitter (a median of the typical latency, about one in twenty calls past twice it,
/// capped at ten times), and each exchange takes at most <see cref="ExchangeFormat.RequestsPerSecond"/>
/// requests in a one-second window (divided by <see cref="SimulatorOptions.RateLimitScale"/>) before
/// answering with its own rate-limit error.
/// </summary>
public sealed class RealisticConditions(TimeProvider timeProvider, IOptions<SimulatorOptions> options)
{
    private const double JitterSigma = 0.45;
    private const double MaxLatencyFactor = 10;

    private readonly ConcurrentDictionary<string, Window> _windows = new();

    public TimeSpan Latency(ExchangeFormat format)
    {
        // Box-Muller: a standard normal from two uniforms.
        var normal = Math.Sqrt(-2 * Math.Log(1 - Random.Shared.NextDouble())) * Math.Cos(2 * Math.PI * Random.Shared.NextDouble());
        return format.TypicalLatency * Math.Min(Math.Exp(JitterSigma * normal), MaxLatencyFactor);
    }

    /// <summary>Counts the request; true when it is over the exchange's rate for the current second.</summary>
    public bool IsOverLimit(ExchangeFormat format)
    {
        var second = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var window = _windows.AddOrUpdate(format.Id, _ => new Window(second, 1),
            (_, w) => w.Second == second ? w with { Count = w.Count + 1 } : new Window(second, 1));
        return window.Count > format.RequestsPerSecond / options.Value.RateLimitScale;
    }

    private sealed record Window(long Second, int Count);
}
