using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// One permit of the global cap. Renews itself in the background; <see cref="LeaseLost"/>
/// fires when the permit is gone (lapsed: the holder must stop, its place may be taken).
/// Disposing releases it and wakes the next waiter.
/// </summary>
public sealed class PermitLease : IAsyncDisposable
{
    private readonly ExchangeSemaphore _semaphore;
    private readonly string _token;
    private readonly LeaseRenewal _renewal;
    private int _released;

    internal PermitLease(ExchangeSemaphore semaphore, string token, string holderId, string exchange)
    {
        _semaphore = semaphore;
        _token = token;
        HolderId = holderId;
        Exchange = exchange;
        _renewal = new LeaseRenewal(ct => semaphore.RenewAsync(token, ct), semaphore.Options.EffectiveRenewInterval, semaphore.Options.LeaseDuration);
    }

    public string HolderId { get; }

    public string Exchange { get; }

    public CancellationToken LeaseLost => _renewal.Lost;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        await _renewal.DisposeAsync();
        try
        {
            await _semaphore.ReleaseAsync(_token, _renewal.MayBeLiveFor);
        }
        catch (RedisException)
        {
            // Unreachable for as long as the permit could be live: it has lapsed on the server.
        }
    }

    /// <summary>Stops or resumes renewing without releasing: a stalled holder, as the server sees it (tests).</summary>
    internal void SuspendRenewal(bool suspended) => _renewal.Suspended = suspended;
}
