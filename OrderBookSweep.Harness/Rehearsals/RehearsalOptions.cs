namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>What a rehearsal runs: the world, the throttle and which exchanges.</summary>
public sealed record RehearsalOptions
{
    /// <summary>Exchanges:RateLimitScale for the workers and the peer alike; every figure depends on it.</summary>
    public double RateLimitScale { get; init; } = 1;

    /// <summary>Simulator settings (Simulator:* without the prefix), e.g. a profile or symbol counts.</summary>
    public IReadOnlyDictionary<string, string> Simulator { get; init; } = new Dictionary<string, string>();

    /// <summary>More worker settings (configuration keys or environment variables), e.g. GC or Node settings to compare.</summary>
    public IReadOnlyDictionary<string, string> Worker { get; init; } = new Dictionary<string, string>();

    /// <summary>Null: every exchange ccxt has, as a real sweep; the simulator fails the ones it does not serve.</summary>
    public IReadOnlyList<string>? Exchanges { get; init; }

    public int Sweeps { get; init; } = 1;

    /// <summary>The seed peer on the same world and throttle, after the system's sweeps.</summary>
    public bool RunPeer { get; init; } = true;

    public TimeSpan SweepTimeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// The worker executable as its image runs it, compiled ahead of time
    /// (<see cref="Harness.PublishedWorker.PublishAsync"/>); null: the JIT-compiled build `dotnet run` starts.
    /// </summary>
    public string? PublishedWorker { get; init; }
}
