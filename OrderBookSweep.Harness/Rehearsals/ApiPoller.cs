using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>
/// A client of the scheduler's API during the sweep: GET /api/sweeps/latest and GET of the latest
/// book the stream announced, one after the other, ten times a second.
/// </summary>
internal sealed class ApiPoller : IAsyncDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<double> _sweeps = [];
    private readonly ConcurrentBag<double> _books = [];
    private readonly Task _polling;
    private int _failures;

    public ApiPoller(HttpClient scheduler, BookStream stream) => _polling = Task.Run(() => PollAsync(scheduler, stream));

    public async Task<ApiLatencies> StopAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        return new ApiLatencies(Percentiles.Of(_sweeps), Percentiles.Of(_books), _failures);
    }

    private async Task PollAsync(HttpClient scheduler, BookStream stream)
    {
        while (!_stop.IsCancellationRequested)
        {
            await TimeAsync(scheduler, "/api/sweeps/latest", _sweeps);
            if (stream.Books.TryPeek(out var book))
            {
                await TimeAsync(scheduler, $"/api/orderbooks/{book.Exchange}/{Uri.EscapeDataString(book.Symbol)}", _books);
            }

            try
            {
                await Task.Delay(Pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task TimeAsync(HttpClient scheduler, string path, ConcurrentBag<double> into)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await scheduler.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                into.Add(clock.Elapsed.TotalMilliseconds);
                return;
            }

            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return; // no sweep yet, or a book that expired in between
            }
        }
        catch (HttpRequestException)
        {
        }

        Interlocked.Increment(ref _failures);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
