using System.Collections.Concurrent;
using OrderBookSweep.Coordination;
using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Worker.Tests;

/// <summary>
/// An <see cref="IExchangeEngine"/> whose exchanges do what a test says: the seam the job loop is
/// tested through, where ccxt itself is tested against the simulator elsewhere.
/// </summary>
public sealed class ScriptedEngine : IExchangeEngine
{
    private readonly ConcurrentDictionary<string, ScriptedExchange> _exchanges = new(StringComparer.Ordinal);

    public ScriptedExchange this[string exchangeId] => _exchanges.GetOrAdd(exchangeId, id => new ScriptedExchange(id));

    private Exception? _exchangesError;

    /// <summary>Thrown by the next <see cref="GetExchangesAsync"/>, once.</summary>
    public Exception? NextExchangesError { set => _exchangesError = value; }

    public Task<IReadOnlyList<ExchangeDescription>> GetExchangesAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _exchangesError, null) is { } error
            ? Task.FromException<IReadOnlyList<ExchangeDescription>>(error)
            : Task.FromResult<IReadOnlyList<ExchangeDescription>>([.. _exchanges.Keys.Order(StringComparer.Ordinal).Select(id => new ExchangeDescription(id, 50, [$"api.{id}.com"]))]);

    public Task<IExchangeSession> CreateExchangeAsync(string exchangeId, CancellationToken cancellationToken)
    {
        var exchange = this[exchangeId];
        exchange.Opened();
        return exchange.CreateError is { } error ? Task.FromException<IExchangeSession>(error) : Task.FromResult<IExchangeSession>(new Session(exchange));
    }

    private sealed class Session(ScriptedExchange exchange) : IExchangeSession
    {
        public string ExchangeId => exchange.Id;

        public Task<IReadOnlyList<string>> LoadMarketsAsync(CancellationToken cancellationToken) =>
            exchange.MarketsError is { } error ? Task.FromException<IReadOnlyList<string>>(error) : Task.FromResult(exchange.Symbols);

        public async Task<OrderBook> FetchOrderBookAsync(string symbol, int? limit, CancellationToken cancellationToken)
        {
            using (exchange.FetchStarted())
            {
                return await exchange.Fetch(symbol, cancellationToken);
            }
        }

        public ValueTask DisposeAsync()
        {
            exchange.ClosedOne();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>One scripted exchange: its symbols, and what creating it, loading its markets and fetching a book do.</summary>
public sealed class ScriptedExchange(string id)
{
    private int _sessions;
    private int _closed;
    private int _inFlight;
    private int _maxInFlight;

    public string Id { get; } = id;

    /// <summary>Instances created (one per attempt at the exchange).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Instances closed: every one created must be.</summary>
    public int Closed => Volatile.Read(ref _closed);

    /// <summary>Most order-book fetches in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public IReadOnlyList<string> Symbols { get; set; } = ["BTC/USDT", "ETH/USDT", "SOL/USDT"];

    public ExchangeException? CreateError { get; set; }

    public ExchangeException? MarketsError { get; set; }

    /// <summary>A book per symbol by default; a test replaces it to fail, block or count.</summary>
    public Func<string, CancellationToken, Task<OrderBook>> Fetch { get; set; } = (symbol, _) => Task.FromResult(BookOf(symbol));

    public static OrderBook BookOf(string symbol) =>
        new(symbol, [new OrderBookLevel(100, 1)], [new OrderBookLevel(101, 2)], 1_700_000_000_000, null, null);

    /// <summary>Fetches that wait until cancelled: work still in progress when a test pulls the rug.</summary>
    public static async Task<OrderBook> Forever(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    internal void Opened() => Interlocked.Increment(ref _sessions);

    internal void ClosedOne() => Interlocked.Increment(ref _closed);

    internal IDisposable FetchStarted()
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        int seen;
        while (inFlight > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
            // Another fetch raised the maximum meanwhile: compare again.
        }

        return new FetchEnd(this);
    }

    private sealed class FetchEnd(ScriptedExchange exchange) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref exchange._inFlight);
    }
}
