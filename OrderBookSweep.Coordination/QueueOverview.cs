using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>What the queue and the global cap hold right now, read in one pipelined round.</summary>
public sealed class QueueOverview
{
    private readonly IConnectionMultiplexer _redis;
    private readonly CoordinationOptions _options;
    private readonly CoordinationKeys _keys;
    private readonly ExchangeSemaphore _semaphore;

    public QueueOverview(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options, ExchangeSemaphore semaphore)
    {
        _redis = redis;
        _options = options.Value;
        _keys = new CoordinationKeys(_options.KeyPrefix);
        _semaphore = semaphore;
    }

    public async Task<QueueState> GetAsync(CancellationToken ct)
    {
        var batch = _redis.GetDatabase().CreateBatch();
        var ready = batch.ListLengthAsync(_keys.Queue);
        var delayed = batch.SortedSetLengthAsync(_keys.Delayed);
        var leased = batch.SortedSetLengthAsync(_keys.Leases);
        var waiters = batch.SortedSetLengthAsync(_keys.PermitWaiters);
        batch.Execute();
        var holders = await _semaphore.GetHoldersAsync(ct);
        await Task.WhenAll(ready, delayed, leased, waiters).WaitAsync(ct);
        return new QueueState(ready.Result, delayed.Result, leased.Result, _options.MaxConcurrentExchanges, holders, waiters.Result);
    }
}

/// <summary>
/// Jobs ready to claim, waiting for a retry's backoff, and under lease; the permit cap, its
/// live holders and the workers waiting for a permit.
/// </summary>
public sealed record QueueState(long Ready, long DelayedRetries, long Leased, int PermitCap, IReadOnlyList<PermitHolder> Holders, long Waiters);
