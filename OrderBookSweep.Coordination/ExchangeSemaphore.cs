using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// The global cap on exchanges worked on at once (<see cref="CoordinationOptions.MaxConcurrentExchanges"/>),
/// shared by every worker replica. Waiters queue in arrival order; a release wakes them through
/// pub/sub, so a hand-off costs one message and one script call, not a polling interval.
/// </summary>
public sealed class ExchangeSemaphore
{
    private readonly CoordinationOptions _options;
    private readonly CoordinationKeys _keys;
    private readonly IConnectionMultiplexer _redis;
    private readonly WakeupChannel _wake;

    public ExchangeSemaphore(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options)
    {
        _redis = redis;
        _options = options.Value;
        _keys = new CoordinationKeys(_options.KeyPrefix);
        _wake = new WakeupChannel(redis, _keys.PermitWake);
    }

    /// <summary>Waits for a permit; the returned lease renews itself until disposed (which releases it).</summary>
    public async Task<PermitLease> AcquireAsync(string holderId, string exchange, CancellationToken ct)
    {
        Identifiers.Holder(holderId, nameof(holderId));
        Identifiers.Exchange(exchange);
        var token = Guid.NewGuid().ToString("N");
        var db = _redis.GetDatabase();
        // A waiter that stops checking (process died) loses its place after three missed checks.
        var waiterTtl = (long)(_options.PermitRecheckInterval * 3).TotalMilliseconds;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var next = _wake.Next;
                try
                {
                    await _wake.EnsureSubscribedAsync(ct);
                    var result = (RedisResult[])(await CoordinationScripts.AcquirePermit.EvaluateAsync(db, new
                    {
                        holders = _keys.PermitHolders,
                        holderInfo = _keys.PermitInfo,
                        waiters = _keys.PermitWaiters,
                        waiterExpiry = _keys.PermitWaiterExpiry,
                        token,
                        holderId,
                        exchange,
                        leaseMs = (long)_options.LeaseDuration.TotalMilliseconds,
                        cap = _options.MaxConcurrentExchanges,
                        waiterTtlMs = waiterTtl,
                        wakeChannel = _keys.PermitWake.ToString(),
                    }, ct))!;
                    if ((int)result[0] == 1)
                    {
                        return new PermitLease(this, token, holderId, exchange);
                    }
                }
                catch (Exception e) when (TransientRedisError.Is(e))
                {
                    // Redis unreachable for now: the multiplexer reconnects; keep waiting.
                }

                await WakeupChannel.WaitAsync(next, _options.PermitRecheckInterval, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // Sent, not awaited, so that a cancelled wait returns at once even while Redis stalls;
            // it runs after any acquire in flight, which shares its connection.
            _ = CancelAcquireAsync(db, token);
            throw;
        }
    }

    /// <summary>The live holders (lease not expired by the server's clock): one script call.</summary>
    public async Task<IReadOnlyList<PermitHolder>> GetHoldersAsync(CancellationToken ct)
    {
        var result = (RedisResult[])(await CoordinationScripts.ReadHolders.EvaluateAsync(_redis.GetDatabase(), new { holders = _keys.PermitHolders, holderInfo = _keys.PermitInfo }, ct))!;
        var holders = new List<PermitHolder>(result.Length / 3);
        for (var i = 0; i + 2 < result.Length; i += 3)
        {
            var info = (string?)result[i + 1];
            if (string.IsNullOrEmpty(info))
            {
                continue;
            }

            var stored = CoordinationJson.Read<StoredHolder>(info, $"{_keys.PermitInfo} {(string?)result[i]}");
            holders.Add(new PermitHolder(stored.HolderId, stored.Exchange, CoordinationJson.FromUnixMs(stored.Since), CoordinationJson.FromUnixMs((long)result[i + 2])));
        }

        return holders;
    }

    internal async Task<bool> RenewAsync(string token, CancellationToken ct)
    {
        var renewed = await CoordinationScripts.RenewPermit.EvaluateAsync(_redis.GetDatabase(), new
        {
            holders = _keys.PermitHolders,
            holderInfo = _keys.PermitInfo,
            token,
            leaseMs = (long)_options.LeaseDuration.TotalMilliseconds,
        }, ct);
        return (int)renewed == 1;
    }

    /// <summary>
    /// Gives the permit back, retrying while it may still be live (<paramref name="mayBeLiveFor"/>):
    /// a release lost to a cut connection would otherwise keep a slot of the cap idle until the
    /// lease lapses. Retrying is safe: the token is this lease's own, so a release the server
    /// already ran removes nothing the second time.
    /// </summary>
    internal async Task ReleaseAsync(string token, TimeSpan mayBeLiveFor)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await CoordinationScripts.ReleasePermit.EvaluateAsync(_redis.GetDatabase(), new
                {
                    holders = _keys.PermitHolders,
                    holderInfo = _keys.PermitInfo,
                    waiters = _keys.PermitWaiters,
                    token,
                    wakeChannel = _keys.PermitWake.ToString(),
                }, CancellationToken.None);
                return;
            }
            catch (Exception e) when (TransientRedisError.Is(e) && Stopwatch.GetElapsedTime(started) < mayBeLiveFor)
            {
                // The multiplexer reconnects; the next attempt waits in its backlog until it has.
                await Task.Delay(_options.PermitRecheckInterval);
            }
        }
    }

    internal CoordinationOptions Options => _options;

    private async Task CancelAcquireAsync(IDatabase db, string token)
    {
        try
        {
            await CoordinationScripts.CancelAcquire.EvaluateAsync(db, new
            {
                holders = _keys.PermitHolders,
                holderInfo = _keys.PermitInfo,
                waiters = _keys.PermitWaiters,
                waiterExpiry = _keys.PermitWaiterExpiry,
                token,
                wakeChannel = _keys.PermitWake.ToString(),
            }, CancellationToken.None);
        }
        catch (RedisException)
        {
            // Unreachable: the waiter entry expires on its own, a lost grant with its lease.
        }
    }

    internal sealed record StoredHolder(string HolderId, string Exchange, long Since) : StoredPayload;
}
