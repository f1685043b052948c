using System.Diagnostics;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// Renews one lease in the background and cancels <see cref="Lost"/> when the server says the
/// lease is gone, or when no renewal has succeeded for a whole lease duration (Redis
/// unreachable: the lease has lapsed on the server by then, so the holder must stop).
/// </summary>
internal sealed class LeaseRenewal : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<bool>> _renew;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _leaseDuration;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lastRenewed = Stopwatch.GetTimestamp();
    private volatile bool _suspended;
    private int _disposed;

    public LeaseRenewal(Func<CancellationToken, Task<bool>> renew, TimeSpan interval, TimeSpan leaseDuration)
    {
        _renew = renew;
        _interval = interval;
        _leaseDuration = leaseDuration;
        Lost = _lost.Token;
        _loop = Task.Run(RunAsync);
    }

    public CancellationToken Lost { get; }

    /// <summary>
    /// The longest the server may still hold the lease: a lease duration from the last grant or
    /// renewal this side saw answered, which is no earlier than the server set the expiry.
    /// </summary>
    public TimeSpan MayBeLiveFor => _leaseDuration - Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastRenewed));

    /// <summary>While true, renewals are skipped: what a stalled holder looks like to the server (tests).</summary>
    internal bool Suspended
    {
        get => _suspended;
        set => _suspended = value;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _stop.CancelAsync();
        }

        await _loop;
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (_suspended)
                {
                    continue;
                }

                try
                {
                    if (!await _renew(_stop.Token))
                    {
                        await _lost.CancelAsync();
                        return;
                    }

                    Interlocked.Exchange(ref _lastRenewed, Stopwatch.GetTimestamp());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Redis unreachable: keep trying while the lease may still be valid on the server.
                    if (MayBeLiveFor <= TimeSpan.Zero)
                    {
                        await _lost.CancelAsync();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the owner completed, abandoned or released the lease.
        }
    }
}
