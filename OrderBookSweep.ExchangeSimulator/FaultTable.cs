using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>Active faults per exchange and endpoint; seeded from configuration, changed by the admin API.</summary>
public sealed class FaultTable
{
    public const string AnyEndpoint = "*";

    public static readonly IReadOnlyList<string> Endpoints =
        [AnyEndpoint, .. Enum.GetValues<EndpointKind>().Select(e => e.ToString().ToLowerInvariant())];

    private readonly ConcurrentDictionary<(string Exchange, string Endpoint), Fault> _faults = new();

    public FaultTable(IOptions<SimulatorOptions> options)
    {
        foreach (var (exchange, endpoints) in options.Value.Faults)
        {
            foreach (var (endpoint, text) in endpoints)
            {
                // The validator has accepted every entry.
                Fault.TryParse(text, out var fault);
                Set(exchange, endpoint, fault!);
            }
        }
    }

    public static bool IsEndpoint(string endpoint) => Endpoints.Contains(endpoint.ToLowerInvariant());

    public void Set(string exchange, string endpoint, Fault fault) =>
        _faults[(exchange.ToLowerInvariant(), endpoint.ToLowerInvariant())] = fault;

    public void Clear(string exchange, string endpoint) =>
        _faults.TryRemove((exchange.ToLowerInvariant(), endpoint.ToLowerInvariant()), out _);

    /// <summary>Clears the exchange-wide fault and every per-endpoint fault of the exchange.</summary>
    public void ClearAll(string exchange)
    {
        foreach (var endpoint in Endpoints)
        {
            Clear(exchange, endpoint);
        }
    }

    /// <summary>The endpoint's own fault wins over the exchange-wide one.</summary>
    public Fault? Find(string exchange, EndpointKind endpoint) =>
        _faults.TryGetValue((exchange, endpoint.ToString().ToLowerInvariant()), out var specific) ? specific
        : _faults.TryGetValue((exchange, AnyEndpoint), out var any) ? any
        : null;

    public IReadOnlyDictionary<string, Dictionary<string, string>> Snapshot() =>
        _faults.GroupBy(f => f.Key.Exchange)
            .ToDictionary(g => g.Key, g => g.ToDictionary(f => f.Key.Endpoint, f => f.Value.Text));
}
