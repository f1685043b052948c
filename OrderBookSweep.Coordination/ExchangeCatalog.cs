using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// The exchange ids ccxt supports: workers (which own ccxt) publish the list at start, the
/// scheduler validates sweep requests against it.
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

    /// <exception cref="ArgumentException">Empty list or a malformed id.</exception>
    public async Task PublishAsync(IReadOnlyList<string> exchangeIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(exchangeIds);
        if (exchangeIds.Count == 0)
        {
            throw new ArgumentException("The catalog needs at least one exchange id.", nameof(exchangeIds));
        }

        foreach (var id in exchangeIds)
        {
            Identifiers.Exchange(id, nameof(exchangeIds));
        }

        var catalog = new StoredCatalog([.. exchangeIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], DateTimeOffset.UtcNow);
        ct.ThrowIfCancellationRequested();
        await _redis.GetDatabase().StringSetAsync(_keys.Catalog, CoordinationJson.Write(catalog)).WaitAsync(ct);
    }

    /// <summary>The published list, or null until a worker published it.</summary>
    public async Task<IReadOnlyList<string>?> GetAsync(CancellationToken ct)
    {
        var value = await _redis.GetDatabase().StringGetAsync(_keys.Catalog).WaitAsync(ct);
        return value.IsNull ? null : CoordinationJson.Read<StoredCatalog>(value.ToString(), _keys.Catalog.ToString()).Exchanges;
    }

    internal sealed record StoredCatalog(IReadOnlyList<string> Exchanges, DateTimeOffset PublishedAt) : StoredPayload;
}
