using Microsoft.Extensions.Options;

namespace OrderBookSweep.Worker.Sweeping;

/// <summary>How one worker replica takes part in sweeps. Section "Worker".</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>
    /// Exchanges this replica works on at once. The global cap (Coordination:MaxConcurrentExchanges)
    /// still rules across the pool; above it a replica's extra loops just wait for permits.
    /// </summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>
    /// Order-book requests in flight per exchange. ccxt's rate limiter queues them anyway; this
    /// bounds the engine's queue (<see cref="BookPublisher.MaxPendingBooks"/> bounds the books
    /// not yet stored).
    /// </summary>
    public int SymbolConcurrency { get; set; } = 8;

    /// <summary>
    /// On shutdown, how long an exchange in progress may run on before it is handed back to the
    /// queue (its permit released) for another replica to redo.
    /// </summary>
    public TimeSpan ShutdownDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a fetched book waits for the job's other books before they go to Redis together
    /// (<see cref="BookPublisher"/>): one call for many books costs Redis and the worker less CPU
    /// than a call each. A book reaches Redis this much later; the fetches do not wait for it.
    /// </summary>
    public TimeSpan PublishLinger { get; set; } = TimeSpan.FromMilliseconds(20);
}

/// <summary>Rejects <see cref="WorkerOptions"/> out of range, at start rather than at the first sweep.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var failures = new List<string>();
        if (options.Concurrency is < 1 or > 64)
        {
            failures.Add("Worker:Concurrency must be between 1 and 64.");
        }
        if (options.SymbolConcurrency is < 1 or > 256)
        {
            failures.Add("Worker:SymbolConcurrency must be between 1 and 256.");
        }
        if (options.ShutdownDeadline < TimeSpan.Zero || options.ShutdownDeadline > TimeSpan.FromMinutes(5))
        {
            failures.Add("Worker:ShutdownDeadline must be between 0 and 5 minutes.");
        }
        if (options.PublishLinger < TimeSpan.Zero || options.PublishLinger > TimeSpan.FromSeconds(1))
        {
            failures.Add("Worker:PublishLinger must be between 0 and 1 second.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
