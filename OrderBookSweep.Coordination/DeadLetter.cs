namespace OrderBookSweep.Coordination;

/// <summary>An entry of the dead-letter list: why a job was given up.</summary>
public sealed record DeadLetter(long SweepId, string Exchange, int Attempts, string ErrorClass, string Message, bool Retryable, string? Worker, DateTimeOffset At) : StoredPayload;
