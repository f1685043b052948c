using System.Collections.Concurrent;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>
/// Counts, independently of the semaphore's own bookkeeping, how many exchanges workers are
/// inside at once and whether one exchange is ever worked on twice at the same moment.
/// </summary>
public sealed class ConcurrencyObserver
{
    private readonly ConcurrentDictionary<string, int> _perExchange = new();
    private readonly ConcurrentBag<string> _doubleWork = [];
    private readonly ConcurrentDictionary<string, int> _completions = new();
    private int _current;
    private int _max;

    public int MaxConcurrent => Volatile.Read(ref _max);

    public IReadOnlyCollection<string> ExchangesWorkedTwiceAtOnce => _doubleWork;

    public IReadOnlyDictionary<string, int> Completions => _completions;

    public IDisposable Enter(string exchange)
    {
        var now = Interlocked.Increment(ref _current);
        for (var max = Volatile.Read(ref _max); now > max; max = Volatile.Read(ref _max))
        {
            Interlocked.CompareExchange(ref _max, now, max);
        }

        if (_perExchange.AddOrUpdate(exchange, 1, (_, n) => n + 1) > 1)
        {
            _doubleWork.Add(exchange);
        }

        return new Exit(this, exchange);
    }

    public void Completed(string exchange) => _completions.AddOrUpdate(exchange, 1, (_, n) => n + 1);

    private sealed class Exit(ConcurrencyObserver observer, string exchange) : IDisposable
    {
        public void Dispose()
        {
            observer._perExchange.AddOrUpdate(exchange, 0, (_, n) => n - 1);
            Interlocked.Decrement(ref observer._current);
        }
    }
}
