namespace OrderBookSweep.Harness.Drill;

/// <summary>What the drill does to the running system.</summary>
public enum InjectionKind
{
    /// <summary>kill -9 of a worker holding a permit: mid-exchange, loading markets or fetching books.</summary>
    KillPermitHolder,

    /// <summary>kill -9 of a worker holding a job lease but still waiting for a permit.</summary>
    KillPermitWaiter,

    /// <summary>kill -9 of a worker's ccxt engine (its node child) while it works.</summary>
    KillEngine,

    /// <summary>kill -9 of redis-server, then start it again (AOF brings the data back).</summary>
    RestartRedis,

    /// <summary>The scheduler restarted through its resource command, mid-sweep.</summary>
    RestartScheduler,

    /// <summary>Every endpoint of three exchanges answers 429 for a few seconds.</summary>
    RateLimitStorm,

    /// <summary>Order-book requests of one exchange hang past the request timeout.</summary>
    Hang,

    /// <summary>One exchange's endpoint aborts connections.</summary>
    Reset,

    /// <summary>One exchange's endpoint answers 200 with broken JSON.</summary>
    Malformed,

    /// <summary>One exchange's endpoint answers 200 with an HTML maintenance page.</summary>
    Html,

    /// <summary>One exchange answers no markets or empty books.</summary>
    Empty,
}

/// <summary>
/// One injection and what followed. <see cref="Recovery"/>: for a kill of a worker, until every
/// job it held was leased by another worker or finished; for an engine, until the worker runs a
/// new one; for Redis, until the sweep progressed again; for the scheduler, until it answered.
/// Null when there was nothing to recover or it did not recover in time (<see cref="Recovered"/>).
/// </summary>
public sealed record Injection(InjectionKind Kind, long SweepId, string Target, TimeSpan? Recovery, bool Recovered, string Note)
{
    /// <summary>A process killed or restarted (rather than an exchange misbehaving): these have a recovery time.</summary>
    public static bool IsProcessFault(InjectionKind kind) => kind is InjectionKind.KillPermitHolder or InjectionKind.KillPermitWaiter
        or InjectionKind.KillEngine or InjectionKind.RestartRedis or InjectionKind.RestartScheduler;
}
