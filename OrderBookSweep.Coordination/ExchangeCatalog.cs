using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// The exchanges ccxt supports: workers (which own ccxt) publish the list at start, with each
/// exchange's <see cref="ExchangeProfile"/>; the scheduler validates sweep requests against it
/// and plans sweeps with it.
/// </summary>
public sealed class ExchangeCatalog
{
    private readonly IConnectionMultiplexer _redis;
    private readonly CoordinationKeys _keys;

    public ExchangeCatalog(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options)
    {
        _redis = redis;
        _keys = new CoordinationKeys(options.Value.KeyPrefix);
    }

    /// <exception cref="ArgumentException">Empty list, a malformed or repeated id.</exception>
    public async Task PublishAsync(IReadOnlyList<ExchangeProfile> exchanges, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(exchanges);
        if (exchanges.Count == 0)
        {
            throw new ArgumentException("The catalog needs at least one exchange.", nameof(exchanges));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var exchange in exchanges)
        {
            if (!seen.Add(Identifiers.Exchange(exchange.Id, nameof(exchanges))))
            {
                throw new ArgumentException($"Exchange '{exchange.Id}' is listed twice.", nameof(exchanges));
            }
        }

        ct.ThrowIfCancellationRequested();
        var profiles = exchanges.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        var catalog = new StoredCatalog([.. profiles.Select(p => p.Id)], DateTimeOffset.UtcNow, profiles);
        await _redis.GetDatabase().StringSetAsync(_keys.Catalog, CoordinationJson.Write(catalog)).WaitAsync(ct);
    }

    /// <summary>The published ids, or null until a worker published them.</summary>
    public async Task<IReadOnlyList<string>?> GetAsync(CancellationToken ct) => (await ReadAsync(ct))?.Exchanges;

    /// <summary>
    /// The published profiles, or null until a worker published them. A catalog written before
    /// profiles were published gives each id a <see cref="ExchangeReach.Direct"/> profile with no
    /// rate limit known.
    /// </summary>
    public async Task<IReadOnlyList<ExchangeProfile>?> GetProfilesAsync(CancellationToken ct) =>
        await ReadAsync(ct) is { } catalog
            ? catalog.Profiles ?? [.. catalog.Exchanges.Select(id => new ExchangeProfile(id, 0, ExchangeReach.Direct))]
            : null;

    private async Task<StoredCatalog?> ReadAsync(CancellationToken ct)
    {
        var value = await _redis.GetDatabase().StringGetAsync(_keys.Catalog).WaitAsync(ct);
        return value.IsNull ? null : CoordinationJson.Read<StoredCatalog>(value.ToString(), _keys.Catalog.ToString());
    }

    internal sealed record StoredCatalog(IReadOnlyList<string> Exchanges, DateTimeOffset PublishedAt, IReadOnlyList<ExchangeProfile>? Profiles) : StoredPayload;
}
