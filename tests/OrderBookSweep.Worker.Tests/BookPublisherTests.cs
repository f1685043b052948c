using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrderBookSweep.Coordination;
using OrderBookSweep.Worker.Sweeping;

namespace OrderBookSweep.Worker.Tests;

/// <summary>One job's books on their way to Redis (embedded Garnet): gathered over a linger, bounded, stored, fenced.</summary>
[Collection(GarnetCollection.Name)]
public sealed class BookPublisherTests(GarnetFixture garnet) : IAsyncDisposable
{
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<int> _calls = new();

    [Fact]
    public async Task Books_handed_over_within_the_linger_leave_together_once_it_is_over_and_the_lanes_do_not_wait()
    {
        await using var client = await ConnectAsync();
        var (lease, sweepId) = await ClaimAsync(client, "binance");
        var publisher = Publisher(client, lease, TimeSpan.FromSeconds(1));
        var symbols = Enumerable.Range(0, 8).Select(i => $"S{i}/USDT").ToList();

        foreach (var symbol in symbols)
        {
            // Queued, not stored: the lane that fetched it goes on at once.
            var handedOver = publisher.PublishAsync(Book("binance", symbol, sweepId), default);
            Assert.True(handedOver.IsCompletedSuccessfully);
        }

        Assert.Null(await client.Results.GetBookAsync("binance", symbols[0], default));
        await publisher.DrainAsync();

        Assert.Equal(new[] { symbols.Count }, _calls.ToArray());
        foreach (var symbol in symbols)
        {
            Assert.Equal(sweepId, (await client.Results.GetBookAsync("binance", symbol, default))!.SweepId);
        }

        await lease.DisposeAsync();
    }

    [Fact]
    public async Task Past_MaxPendingBooks_a_lane_waits_until_the_waiting_books_have_left()
    {
        await using var client = await ConnectAsync();
        var (lease, sweepId) = await ClaimAsync(client, "binance");
        var publisher = Publisher(client, lease, TimeSpan.FromMilliseconds(300));

        for (var i = 0; i < BookPublisher.MaxPendingBooks; i++)
        {
            Assert.True(publisher.PublishAsync(Book("binance", $"S{i}/USDT", sweepId), default).IsCompletedSuccessfully);
        }

        var overTheBound = publisher.PublishAsync(Book("binance", "LAST/USDT", sweepId), default);
        Assert.False(overTheBound.IsCompleted);
        await overTheBound;
        await publisher.DrainAsync();

        Assert.Equal(new[] { BookPublisher.MaxPendingBooks, 1 }, _calls.ToArray());
        Assert.NotNull(await client.Results.GetBookAsync("binance", "LAST/USDT", default));
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task Without_a_linger_a_book_alone_leaves_at_once()
    {
        await using var client = await ConnectAsync();
        var (lease, sweepId) = await ClaimAsync(client, "binance");
        var publisher = Publisher(client, lease, TimeSpan.Zero);

        await publisher.PublishAsync(Book("binance", "A/USDT", sweepId), default);
        await publisher.DrainAsync();
        await publisher.PublishAsync(Book("binance", "B/USDT", sweepId), default);
        await publisher.DrainAsync();

        Assert.Equal(new[] { 1, 1 }, _calls.ToArray());
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task Once_the_lease_is_lost_no_book_is_stored_and_both_draining_and_handing_over_fail_with_LeaseLostException()
    {
        await using var client = await ConnectAsync();
        var (lease, sweepId) = await ClaimAsync(client, "kraken");
        // Cancelling the sweep takes the job's lease away: the fence refuses its books from then on.
        Assert.True(await client.Sweeps.CancelSweepAsync(sweepId, default));
        var publisher = Publisher(client, lease, TimeSpan.FromMilliseconds(20));

        foreach (var symbol in new[] { "A/USD", "B/USD", "C/USD" })
        {
            await publisher.PublishAsync(Book("kraken", symbol, sweepId), default);
        }

        await Assert.ThrowsAsync<LeaseLostException>(publisher.DrainAsync);
        await Assert.ThrowsAsync<LeaseLostException>(() => publisher.PublishAsync(Book("kraken", "D/USD", sweepId), default));
        Assert.Null(await client.Results.GetBookAsync("kraken", "A/USD", default));
        await lease.DisposeAsync();
    }

    private async Task<CoordinationClient> ConnectAsync()
    {
        var client = await CoordinationClient.ConnectAsync(garnet.Server.ConnectionString, CoordinationClient.TestOptions("b" + Guid.NewGuid().ToString("N")[..12]));
        await client.Catalog.PublishAsync(CoordinationClient.DirectProfiles("binance", "kraken"), default);
        return client;
    }

    private static async Task<(JobLease Lease, long SweepId)> ClaimAsync(CoordinationClient client, string exchange)
    {
        var start = await client.Sweeps.StartSweepAsync([exchange], false, null, null, default);
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return (await client.Queue.ClaimAsync("w", soon.Token), start.SweepId);
    }

    private BookPublisher Publisher(CoordinationClient client, JobLease lease, TimeSpan linger)
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
        return new BookPublisher(client.Results, lease, telemetry, linger);
    }

    private static BookSnapshot Book(string exchange, string symbol, long sweepId) =>
        new(exchange, symbol, [new(100, 1)], [new(101, 1)], null, null, null, sweepId, "w", DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _metrics.DisposeAsync();
    }
}
