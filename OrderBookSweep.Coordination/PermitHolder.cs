namespace OrderBookSweep.Coordination;

/// <summary>One holder of a permit of the global cap, as the dashboard and tests read it.</summary>
public sealed record PermitHolder(string HolderId, string Exchange, DateTimeOffset Since, DateTimeOffset LeaseExpiresAt);
