namespace OrderBookSweep.Coordination;

/// <summary>
/// Settings of the Redis coordination (section <c>Coordination</c>). Every client of one Redis
/// must use the same <see cref="KeyPrefix"/> and <see cref="MaxConcurrentExchanges"/>: the cap is
/// passed to the scripts by each caller, not stored.
/// </summary>
public sealed class CoordinationOptions
{
    public const string SectionName = "Coordination";

    /// <summary>Prefix of every key and channel, e.g. <c>obs</c> gives <c>obs:queue</c>.</summary>
    public string KeyPrefix { get; set; } = CoordinationKeys.DefaultPrefix;

    /// <summary>
    /// The global cap: exchanges worked on at once across all worker replicas. Its one key is
    /// <c>Coordination:MaxConcurrentExchanges</c>; the AppHost passes it to every service.
    /// </summary>
    public int MaxConcurrentExchanges { get; set; } = 5;

    /// <summary>
    /// How long a job lease or permit lives without renewal. Shorter: a dead worker's job and
    /// permit come back sooner; longer: a worker survives longer Redis hiccups.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often leases are renewed; default a third of <see cref="LeaseDuration"/>.</summary>
    public TimeSpan? RenewInterval { get; set; }

    /// <summary>Attempts per job (a lapsed lease counts as one) before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; doubled for each further attempt.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of the exponential retry delay.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a published order book stays readable (keeps Redis memory bounded).</summary>
    public TimeSpan BookTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Largest serialized order book accepted, in bytes.</summary>
    public int MaxBookBytes { get; set; } = 1024 * 1024;

    /// <summary>How long finished sweeps (status, outcomes) are kept.</summary>
    public TimeSpan SweepRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Longest a waiting claim sleeps between checks when no wake-up arrives. Waiters are woken
    /// by pub/sub at once; this bounds the delay after a lost wake-up and is how often waiting
    /// workers requeue lapsed leases and due retries.
    /// </summary>
    public TimeSpan ClaimWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest a permit waiter sleeps between checks when no wake-up arrives (lost wake-up, a
    /// holder that died). A waiter that stops checking for three of these loses its place.
    /// </summary>
    public TimeSpan PermitRecheckInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    internal TimeSpan EffectiveRenewInterval => RenewInterval ?? LeaseDuration / 3;
}
