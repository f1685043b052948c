namespace OrderBookSweep.Worker.Exchanges;

/// <summary>
/// What ccxt's description of an exchange says before any market loads: its rateLimit
/// (milliseconds between two calls of cost 1) and the hosts its REST API names.
/// </summary>
public sealed record ExchangeDescription(string Id, double RateLimitMs, IReadOnlyList<string> Hosts);
