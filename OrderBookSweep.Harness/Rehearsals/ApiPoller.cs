using System.Collections.Concurrent;
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
        switch (await TimedGet.SendAsync(scheduler, path))
        {
            case (HttpStatusCode.OK, var milliseconds):
                into.Add(milliseconds);
                break;
            case (HttpStatusCode.NotFound, _):
                break; // no sweep yet, or a book that expired in between
            default:
                Interlocked.Increment(ref _failures);
                break;
        }
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
