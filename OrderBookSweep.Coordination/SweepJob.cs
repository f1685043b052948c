namespace OrderBookSweep.Coordination;

/// <summary>
/// One exchange of one sweep. <see cref="TraceParent"/>/<see cref="TraceState"/> carry the W3C
/// trace context of the enqueue across the queue.
/// </summary>
public sealed record SweepJob(long SweepId, string Exchange, int Attempt, DateTimeOffset EnqueuedAt, string? TraceParent, string? TraceState) : StoredPayload;
