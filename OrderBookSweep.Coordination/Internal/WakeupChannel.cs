using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// Wakes local waiters when a script publishes on a channel (a job enqueued, a permit
/// released). Waiters take <see cref="Next"/> BEFORE they check Redis, so a wake-up that
/// arrives during the check is not lost; the recheck timeout covers messages lost by Redis.
/// </summary>
/// <remarks>
/// Pub/sub rather than a blocking BLMOVE: a blocking command on the shared multiplexer would
/// stall every other command on that connection, and opening a dedicated connection needs the
/// credentials, which the multiplexer does not give back.
/// </remarks>
internal sealed class WakeupChannel
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisChannel _channel;
    private readonly SemaphoreSlim _subscribeOnce = new(1, 1);
    private TaskCompletionSource _next = NewSource();
    private bool _subscribed;

    public WakeupChannel(IConnectionMultiplexer redis, RedisChannel channel)
    {
        _redis = redis;
        _channel = channel;
    }

    /// <summary>Completes at the next wake-up after this call.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public async Task EnsureSubscribedAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _subscribed))
        {
            return;
        }

        await _subscribeOnce.WaitAsync(ct);
        try
        {
            if (!_subscribed)
            {
                // A subscription cancelled in flight may still land: the next call subscribes again,
                // and a second handler only wakes waiters twice.
                await _redis.GetSubscriber().SubscribeAsync(_channel, (_, _) => Wake()).WaitAsync(ct);
                Volatile.Write(ref _subscribed, true);
            }
        }
        finally
        {
            _subscribeOnce.Release();
        }
    }

    /// <summary>Waits for <paramref name="next"/> or the timeout, whichever comes first.</summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await next.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // The safety-net recheck.
        }
    }

    private void Wake() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
