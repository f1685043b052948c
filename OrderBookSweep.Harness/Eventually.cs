using System.Diagnostics;

namespace OrderBookSweep.Harness;

/// <summary>
/// Waiting for something to become true by polling it: the one way the tests, the drill, the
/// benchmarks and the rest of the harness wait. Every wait is bounded, so a broken system fails
/// with what was awaited instead of hanging.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds (true) or <paramref name="timeout"/> has
    /// passed (false). Exceptions <paramref name="ignore"/> accepts count as "not yet".
    /// </summary>
    /// <param name="interval">The pause between polls (50 ms): longer where each poll is a request a busy service must answer.</param>
    public static async Task<bool> TryUntilAsync(
        Func<Task<bool>> condition, TimeSpan timeout, Func<Exception, bool>? ignore = null, CancellationToken cancellationToken = default,
        TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception e) when (ignore?.Invoke(e) == true)
            {
                // Not yet: the thing looked at is restarting, say.
            }

            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(interval ?? DefaultInterval, cancellationToken);
        }
    }

    /// <summary>Reads until <paramref name="done"/> accepts the value, and returns it.</summary>
    /// <exception cref="TimeoutException">Not within the timeout; names <paramref name="what"/> and the last value read.</exception>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default,
        TimeSpan? interval = null)
    {
        var limit = timeout ?? DefaultTimeout;
        T last = default!;
        return await TryUntilAsync(async () => done(last = await read()), limit, cancellationToken: cancellationToken, interval: interval)
            ? last
            : throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}; last value: {last}");
    }

    /// <exception cref="TimeoutException">Not within the timeout; names <paramref name="what"/>.</exception>
    public static Task UntilAsync(
        Func<Task<bool>> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default, TimeSpan? interval = null) =>
        UntilAsync(condition, held => held, what, timeout, cancellationToken, interval);

    /// <exception cref="TimeoutException">Not within the timeout; names <paramref name="what"/>.</exception>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        UntilAsync(() => Task.FromResult(condition()), held => held, what, timeout, cancellationToken);
}
