using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Worker.Sweeping;

/// <summary>
/// ccxt's "async gather concurrency" example for one exchange: create it once, load its
/// markets, fetch every symbol's order book, record each error by ccxt class, close it.
/// </summary>
public sealed partial class ExchangeSweep(
    IExchangeEngine engine,
    IOptions<WorkerOptions> options,
    WorkerTelemetry telemetry,
    ILogger<ExchangeSweep> logger)
{
    /// <summary>
    /// Sweeps <paramref name="exchangeId"/>, handing each book to <paramref name="publish"/> as it
    /// arrives. Throws <see cref="ExchangeException"/> only when the exchange as a whole failed
    /// (created or markets not loaded); per-symbol errors are counted in the result.
    /// </summary>
    public async Task<ExchangeSweepResult> RunAsync(
        string exchangeId,
        Func<OrderBook, CancellationToken, Task> publish,
        CancellationToken cancellationToken)
    {
        await using var exchange = await engine.CreateExchangeAsync(exchangeId, cancellationToken);

        IReadOnlyList<string> symbols;
        using (var markets = WorkerTelemetry.Source.StartActivity("load markets"))
        {
            markets?.SetTag("exchange.id", exchangeId);
            try
            {
                symbols = await exchange.LoadMarketsAsync(cancellationToken);
            }
            catch (ExchangeException ex)
            {
                markets?.SetStatus(ActivityStatusCode.Error, ex.ErrorClass);
                telemetry.MarketsFailed(exchangeId, ex.ErrorClass);
                LogMarketsFailed(exchangeId, ex.ErrorClass, ex.Message);
                throw;
            }

            markets?.SetTag("exchange.symbols", symbols.Count);
        }

        LogLoaded(exchangeId, symbols.Count);

        // One span for all of an exchange's fetches: thousands of per-symbol spans would flood the
        // dashboard; the counts and error classes are on this span and in the metrics.
        using var fetches = WorkerTelemetry.Source.StartActivity("fetch order books");
        fetches?.SetTag("exchange.id", exchangeId);
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var ok = 0;

        await Parallel.ForEachAsync(
            symbols,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.SymbolConcurrency, CancellationToken = cancellationToken },
            async (symbol, ct) =>
            {
                OrderBook book;
                try
                {
                    book = await exchange.FetchOrderBookAsync(symbol, limit: null, ct);
                }
                catch (ExchangeException ex)
                {
                    errors.AddOrUpdate(ex.ErrorClass, 1, (_, n) => n + 1);
                    telemetry.BookFailed(exchangeId, ex.ErrorClass);
                    LogFetchFailed(exchangeId, symbol, ex.ErrorClass, ex.Message);
                    return;
                }

                await publish(book, ct);
                Interlocked.Increment(ref ok);
                telemetry.BookFetched(exchangeId);
                LogFetched(exchangeId, symbol);
            });

        var failed = errors.Values.Sum();
        fetches?.SetTag("exchange.books.ok", ok);
        fetches?.SetTag("exchange.books.failed", failed);
        if (failed > 0)
        {
            fetches?.SetStatus(ActivityStatusCode.Error, string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}")));
        }

        return new ExchangeSweepResult(symbols.Count, ok, errors.ToDictionary(StringComparer.Ordinal));
    }

    [LoggerMessage(LogLevel.Information, "{Exchange} loaded ({SymbolCount} symbols)")]
    private partial void LogLoaded(string exchange, int symbolCount);

    // Debug, not Information as ccxt's example prints it: a sweep fetches thousands of books a
    // second, and the books-fetched counter already shows them; the per-exchange lines stay.
    [LoggerMessage(LogLevel.Debug, "{Exchange} fetched {Symbol} orderbook")]
    private partial void LogFetched(string exchange, string symbol);

    [LoggerMessage(LogLevel.Warning, "{Exchange} could not fetch {Symbol} orderbook: {ErrorClass} {ErrorMessage}")]
    private partial void LogFetchFailed(string exchange, string symbol, string errorClass, string errorMessage);

    [LoggerMessage(LogLevel.Warning, "{Exchange} could not load markets: {ErrorClass} {ErrorMessage}")]
    private partial void LogMarketsFailed(string exchange, string errorClass, string errorMessage);
}

/// <summary>What sweeping one exchange gave: symbols loaded, books published, errors by ccxt class.</summary>
public sealed record ExchangeSweepResult(int Symbols, int BooksOk, IReadOnlyDictionary<string, int> ErrorsByClass);
