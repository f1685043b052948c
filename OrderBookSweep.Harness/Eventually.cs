using System.Diagnostics;

namespace OrderBookSweep.Harness;

/// <summary>
/// Waiting for something to become true by polling it: the one way the tests, the drill and the
/// benchmarks wait. Every wait is bounded, so a broken system fails with what was awaited
/// instead of hanging.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds (true) or <paramref name="timeout"/> has
    /// passed (false). Exceptions <paramref name="ignore"/> accepts count as "not yet".
    /// </summary>
    public static async Task<bool> TryUntilAsync(
        Func<Task<bool>> condition, TimeSpan timeout, Func<Exception, bool>? ignore = null, CancellationToken cancellationToken = default)
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

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Reads until <paramref name="done"/> accepts the value, and returns it.</summary>
    /// <exception cref="TimeoutException">Not within the timeout; names <paramref name="what"/> and the last value read.</exception>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        T last = default!;
        return await TryUntilAsync(async () => done(last = await read()), limit, cancellationToken: cancellationToken)
            ? last
            : throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}; last value: {last}");
    }

    /// <exception cref="TimeoutException">Not within the timeout; names <paramref name="what"/>.</exception>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        UntilAsync(condition, held => held, what, timeout, cancellationToken);

    /// <exception cref="TimeoutException">Not within the timeout; names <paramref name="what"/>.</exception>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        UntilAsync(() => Task.FromResult(condition()), held => held, what, timeout, cancellationToken);
}
