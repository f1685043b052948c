namespace OrderBookSweep.Harness.Drill;

/// <summary>How long the drill runs, what it injects and with what system settings.</summary>
public sealed record DrillOptions
{
    /// <summary>Stop starting new sweeps after this long.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Stop after this many sweeps (the tests' short run); null: until <see cref="Duration"/>.</summary>
    public int? MaxSweeps { get; init; }

    public int Seed { get; init; } = 1;

    public int WorkerReplicas { get; init; } = 3;

    /// <summary>
    /// Injections taken in turn (shuffled by <see cref="Seed"/> each round), one per sweep, a
    /// kill and an exchange fault together when both are listed.
    /// </summary>
    public IReadOnlyList<InjectionKind> Injections { get; init; } = Enum.GetValues<InjectionKind>();

    /// <summary>Job and permit lease; a killed worker's job comes back within it.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>ccxt's per-request timeout: the hang fault lasts longer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A sweep still running after this is counted as having lost its unfinished jobs.</summary>
    public TimeSpan SweepTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Simulated exchanges plus one ccxt exchange the simulator does not serve (always dead-lettered).</summary>
    public IReadOnlyList<string> Exchanges { get; init; } = ["binance", "kraken", "okx", "bitstamp", "bybit", "kucoin", "gemini"];

    /// <summary>Simulated latency: keeps exchanges in flight long enough to be killed mid-way.</summary>
    public TimeSpan BookLatency { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan MarketsLatency { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Books per exchange the simulator serves.</summary>
    public int Symbols { get; init; } = 12;

    public int Cap { get; init; } = 5;

    public void Validate()
    {
        if (Duration <= TimeSpan.Zero || LeaseDuration <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || SweepTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Duration, LeaseDuration, RequestTimeout and SweepTimeout must be positive.");
        }
        if (WorkerReplicas < 2)
        {
            throw new ArgumentException("WorkerReplicas must be at least 2: a killed worker's job needs another worker.");
        }
        if (Injections.Count == 0 || Exchanges.Count == 0)
        {
            throw new ArgumentException("Injections and Exchanges must not be empty.");
        }
    }
}
