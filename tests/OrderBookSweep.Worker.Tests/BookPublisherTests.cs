using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrderBookSweep.Coordination;
using OrderBookSweep.Worker.Sweeping;

namespace OrderBookSweep.Worker.Tests;

/// <summary>One job's books on their way to Redis (embedded Garnet): batched, stored, fenced.</summary>
[Collection(GarnetCollection.Name)]
public sealed class BookPublisherTests(GarnetFixture garnet) : IAsyncDisposable
{
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<int> _calls = new();

    [Fact]
    public async Task Books_that_arrive_while_a_call_is_on_its_way_leave_together_and_each_is_stored()
    {
        await using var client = await ConnectAsync();
        var (lease, sweepId) = await ClaimAsync(client, "binance");
        var publisher = Publisher(client, lease);
        var symbols = Enumerable.Range(0, 8).Select(i => $"S{i}/USDT").ToList();

        // All at once, as the sweep's fetch lanes can: the first leaves alone, the rest gather behind it.
        await Task.WhenAll(symbols.Select(s => publisher.PublishAsync(Book("binance", s, sweepId), default)));

        Assert.Equal(symbols.Count, _calls.Sum());
        Assert.InRange(_calls.Count, 2, symbols.Count - 1);
        Assert.Equal(1, _calls.First());
        foreach (var symbol in symbols)
        {
            Assert.Equal(sweepId, (await client.Results.GetBookAsync("binance", symbol, default))!.SweepId);
        }

        // Alone, a book does not wait for company.
        await publisher.PublishAsync(Book("binance", "LAST/USDT", sweepId), default);
        Assert.Equal(1, _calls.Last());
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task Once_the_lease_is_lost_every_waiting_book_fails_with_LeaseLostException_and_none_is_stored()
    {
        await using var client = await ConnectAsync();
        var (lease, sweepId) = await ClaimAsync(client, "kraken");
        // Cancelling the sweep takes the job's lease away: the fence refuses its books from then on.
        Assert.True(await client.Sweeps.CancelSweepAsync(sweepId, default));
        var publisher = Publisher(client, lease);

        var waits = new[] { "A/USD", "B/USD", "C/USD" }.Select(s => publisher.PublishAsync(Book("kraken", s, sweepId), default)).ToList();

        foreach (var wait in waits)
        {
            await Assert.ThrowsAsync<LeaseLostException>(() => wait);
        }

        Assert.Null(await client.Results.GetBookAsync("kraken", "A/USD", default));
        await lease.DisposeAsync();
    }

    private async Task<CoordinationClient> ConnectAsync()
    {
        var client = await CoordinationClient.ConnectAsync(garnet.Server.ConnectionString, CoordinationClient.TestOptions("b" + Guid.NewGuid().ToString("N")[..12]));
        await client.Catalog.PublishAsync(["binance", "kraken"], default);
        return client;
    }

    private static async Task<(JobLease Lease, long SweepId)> ClaimAsync(CoordinationClient client, string exchange)
    {
        var start = await client.Sweeps.StartSweepAsync([exchange], false, null, null, default);
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return (await client.Queue.ClaimAsync("w", soon.Token), start.SweepId);
    }

    private BookPublisher Publisher(CoordinationClient client, JobLease lease)
    {
        var telemetry = new WorkerTelemetry(_metrics.GetRequiredService<IMeterFactory>());
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "orderbooksweep.books.per_call" && instrument.Meter.Scope == _metrics.GetRequiredService<IMeterFactory>())
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, count, _, _) => _calls.Enqueue(count));
        _listener.Start();
        return new BookPublisher(client.Results, lease, telemetry);
    }

    private static BookSnapshot Book(string exchange, string symbol, long sweepId) =>
        new(exchange, symbol, [new(100, 1)], [new(101, 1)], null, null, null, sweepId, "w", DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _metrics.DisposeAsync();
    }
}
