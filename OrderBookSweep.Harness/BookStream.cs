using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace OrderBookSweep.Harness;

/// <summary>Listens to the scheduler's server-sent events of published books.</summary>
public sealed class BookStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private BookStream(Stream stream) => _reading = ReadAsync(stream);

    /// <summary>(exchange, symbol) of every notification received.</summary>
    public ConcurrentBag<(string Exchange, string Symbol)> Books { get; } = [];

    public static async Task<BookStream> OpenAsync(HttpClient scheduler)
    {
        var response = await scheduler.GetAsync("/api/orderbooks/stream", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new InvalidOperationException($"The book stream answered {response.Content.Headers.ContentType}.");
        }

        return new BookStream(await response.Content.ReadAsStreamAsync());
    }

    private async Task ReadAsync(Stream stream)
    {
        try
        {
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(_stop.Token))
            {
                var book = JsonDocument.Parse(item.Data).RootElement;
                Books.Add((book.GetProperty("exchange").GetString()!, book.GetProperty("symbol").GetString()!));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The system stopped under us.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }
}
