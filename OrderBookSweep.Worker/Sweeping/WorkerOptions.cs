using System.ComponentModel.DataAnnotations;

namespace OrderBookSweep.Worker.Sweeping;

/// <summary>How one worker replica takes part in sweeps. Section "Worker".</summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string SectionName = "Worker";

    /// <summary>
    /// Exchanges this replica works on at once. The global cap (Coordination:MaxConcurrentExchanges)
    /// still rules across the pool; above it a replica's extra loops just wait for permits.
    /// </summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>
    /// Order-book requests in flight per exchange. ccxt's rate limiter queues them anyway; this
    /// bounds the engine's queue and the memory of books not yet published.
    /// </summary>
    public int SymbolConcurrency { get; set; } = 8;

    /// <summary>
    /// On shutdown, how long an exchange in progress may run on before it is handed back to the
    /// queue (its permit released) for another replica to redo.
    /// </summary>
    public TimeSpan ShutdownDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Concurrency is < 1 or > 64)
        {
            yield return new ValidationResult("Worker:Concurrency must be between 1 and 64.", [nameof(Concurrency)]);
        }

        if (SymbolConcurrency is < 1 or > 256)
        {
            yield return new ValidationResult("Worker:SymbolConcurrency must be between 1 and 256.", [nameof(SymbolConcurrency)]);
        }

        if (ShutdownDeadline < TimeSpan.Zero || ShutdownDeadline > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Worker:ShutdownDeadline must be between 0 and 5 minutes.", [nameof(ShutdownDeadline)]);
        }
    }
}
