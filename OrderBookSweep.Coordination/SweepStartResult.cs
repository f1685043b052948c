namespace OrderBookSweep.Coordination;

/// <summary>
/// What <see cref="SweepStore.StartSweepAsync"/> did. <c>Started = false</c>: refused because a
/// sweep is running, and <see cref="SweepId"/> is that sweep's id.
/// </summary>
public sealed record SweepStartResult(bool Started, long SweepId, IReadOnlyList<string> Skipped);
