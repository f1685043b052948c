using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrderBookSweep.Coordination;
using ServiceDefaults = Microsoft.Extensions.Hosting.Extensions;

namespace OrderBookSweep.Worker.Sweeping;

/// <summary>The worker's spans and instruments (in the one "OrderBookSweep" Meter).</summary>
public sealed class WorkerTelemetry
{
    public static readonly ActivitySource Source = new($"{ServiceDefaults.ActivitySourcePrefix}.Worker");

    private readonly Counter<long> _books;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _permitWait;
    private readonly Histogram<double> _exchangeDuration;
    private readonly Histogram<int> _booksPerCall;

    public WorkerTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ServiceDefaults.MeterName);
        _books = meter.CreateCounter<long>("orderbooksweep.books", "{book}", "Order-book fetches, by exchange and outcome (ok, error).");
        _errors = meter.CreateCounter<long>("orderbooksweep.errors", "{error}", "ccxt errors, by exchange, ccxt class and stage (markets, orderbook).");
        _permitWait = meter.CreateHistogram<double>("orderbooksweep.permit.wait", "s", "Time a claimed job waited for one of the global permits.");
        _booksPerCall = meter.CreateHistogram<int>("orderbooksweep.books.per_call", "{book}", "Books stored by one call to Redis: those gathered over Worker:PublishLinger.");
        _exchangeDuration = meter.CreateHistogram<double>("orderbooksweep.exchange.duration", "s", "Time of one attempt at an exchange, by exchange and outcome (or retried: handed back for another attempt).");
    }

    public void BookFetched(string exchange) =>
        _books.Add(1, new("exchange", exchange), new("outcome", "ok"));

    public void BookFailed(string exchange, string errorClass)
    {
        _books.Add(1, new("exchange", exchange), new("outcome", "error"));
        _errors.Add(1, new("exchange", exchange), new("error.class", errorClass), new("stage", "orderbook"));
    }

    public void BooksSent(int count) => _booksPerCall.Record(count);

    public void MarketsFailed(string exchange, string errorClass) =>
        _errors.Add(1, new("exchange", exchange), new("error.class", errorClass), new("stage", "markets"));

    public void PermitWaited(TimeSpan wait) => _permitWait.Record(wait.TotalSeconds);

    /// <summary>One attempt at an exchange: its recorded outcome, or null when it went back to the queue for another attempt.</summary>
    public void ExchangeAttempted(string exchange, ExchangeOutcomeKind? outcome, TimeSpan duration) =>
        _exchangeDuration.Record(
            duration.TotalSeconds,
            new("exchange", exchange),
            outcome is { } recorded ? new("outcome", StoredName<ExchangeOutcomeKind>.Of(recorded)) : new("retried", true));
}
