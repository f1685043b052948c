using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderBookSweep.Worker.Exchanges;
using OrderBookSweep.Worker.Sweeping;

namespace OrderBookSweep.Worker.Tests;

/// <summary>One exchange's sweep (no Redis): what is published, counted, thrown and closed.</summary>
public sealed class ExchangeSweepTests : IDisposable
{
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ScriptedEngine _engine = new();

    [Fact]
    public async Task Each_book_is_published_as_it_arrives_and_the_exchange_is_closed()
    {
        var published = new ConcurrentBag<string>();

        var result = await Sweep().RunAsync("binance", (book, _) => { published.Add(book.Symbol); return Task.CompletedTask; }, default);

        Assert.Equal(["BTC/USDT", "ETH/USDT", "SOL/USDT"], published.Order());
        Assert.Equal((3, 3, 0), (result.Symbols, result.BooksOk, result.ErrorsByClass.Count));
        Assert.Equal((1, 1), (_engine["binance"].Sessions, _engine["binance"].Closed));
    }

    [Fact]
    public async Task Symbol_errors_are_counted_by_class_and_not_thrown()
    {
        _engine["kraken"].Symbols = ["A/USD", "B/USD", "C/USD", "D/USD"];
        _engine["kraken"].Fetch = (symbol, _) => symbol switch
        {
            "A/USD" or "B/USD" => Task.FromException<OrderBook>(new ExchangeException("RateLimitExceeded", true, "kraken", "slow down")),
            "C/USD" => Task.FromException<OrderBook>(new ExchangeException("BadSymbol", false, "kraken", "gone")),
            _ => Task.FromResult(ScriptedExchange.BookOf(symbol)),
        };

        var result = await Sweep().RunAsync("kraken", (_, _) => Task.CompletedTask, default);

        Assert.Equal(1, result.BooksOk);
        Assert.Equal(new Dictionary<string, int> { ["RateLimitExceeded"] = 2, ["BadSymbol"] = 1 }, result.ErrorsByClass);
    }

    [Fact]
    public async Task A_markets_failure_is_thrown_and_the_exchange_still_closed()
    {
        _engine["okx"].MarketsError = new ExchangeException("ExchangeNotAvailable", true, "okx", "maintenance");

        var error = await Assert.ThrowsAsync<ExchangeException>(() => Sweep().RunAsync("okx", (_, _) => Task.CompletedTask, default));

        Assert.Equal("ExchangeNotAvailable", error.ErrorClass);
        Assert.Equal(1, _engine["okx"].Closed);
    }

    [Fact]
    public async Task No_more_than_SymbolConcurrency_books_are_fetched_at_once()
    {
        _engine["bybit"].Symbols = [.. Enumerable.Range(0, 20).Select(i => $"S{i}/USDT")];
        _engine["bybit"].Fetch = async (symbol, ct) =>
        {
            await Task.Delay(20, ct);
            return ScriptedExchange.BookOf(symbol);
        };

        var result = await Sweep(symbolConcurrency: 3).RunAsync("bybit", (_, _) => Task.CompletedTask, default);

        Assert.Equal(20, result.BooksOk);
        Assert.Equal(3, _engine["bybit"].MaxInFlight);
    }

    [Fact]
    public async Task Cancellation_stops_the_fetches_and_closes_the_exchange()
    {
        _engine["binance"].Fetch = (_, ct) => ScriptedExchange.Forever(ct);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sweep().RunAsync("binance", (_, _) => Task.CompletedTask, cancel.Token));

        Assert.Equal(1, _engine["binance"].Closed);
    }

    public void Dispose() => _metrics.Dispose();

    private ExchangeSweep Sweep(int symbolConcurrency = 8) => new(
        _engine,
        Options.Create(new WorkerOptions { SymbolConcurrency = symbolConcurrency }),
        new WorkerTelemetry(_metrics.GetRequiredService<IMeterFactory>()),
        NullLogger<ExchangeSweep>.Instance);
}
