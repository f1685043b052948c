using OrderBookSweep.Coordination;

namespace OrderBookSweep.Worker.Sweeping;

/// <summary>
/// Publishes one job's books to Redis, several to a call: while one call is on its way, the books
/// that arrive meanwhile gather and leave together in the next. A book alone leaves at once, so
/// nothing waits for company; under load one script run and one round trip serve many books.
/// </summary>
/// <remarks>
/// Each caller's task completes when its own book is stored, or fails as the call carrying it
/// failed (a <see cref="LeaseLostException"/> when the lease's fence refused it). Callers bound
/// the books pending: the sweep's fetch lanes each wait for their book before fetching the next.
/// </remarks>
public sealed class BookPublisher(ResultStore results, JobLease lease, WorkerTelemetry telemetry)
{
    private readonly Lock _gate = new();
    private List<(BookSnapshot Book, TaskCompletionSource Stored)> _pending = [];
    private bool _sending;

    public Task PublishAsync(BookSnapshot book, CancellationToken cancellationToken)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool send;
        lock (_gate)
        {
            _pending.Add((book, stored));
            send = !_sending;
            _sending = true;
        }

        if (send)
        {
            _ = SendAsync();
        }

        return stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends what is pending, call after call, until nothing is; never throws.</summary>
    private async Task SendAsync()
    {
        while (true)
        {
            List<(BookSnapshot Book, TaskCompletionSource Stored)> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _sending = false;
                    return;
                }

                batch = _pending;
                _pending = [];
            }

            try
            {
                // Not cancelled by any one caller: the call carries the others' books too, and the
                // lease's fence already keeps a call that arrives late from writing.
                var books = batch.ConvertAll(p => p.Book);
                telemetry.BooksSent(books.Count);
                if (await results.PublishBooksAsync(lease, books, CancellationToken.None))
                {
                    batch.ForEach(p => p.Stored.TrySetResult());
                }
                else
                {
                    var lost = new LeaseLostException(
                        $"{lease.Job.Exchange}: the job's lease was lost; {books.Count} book(s) ({books[0].Symbol}, ...) were not published.");
                    batch.ForEach(p => p.Stored.TrySetException(lost));
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(p => p.Stored.TrySetException(ex));
            }
        }
    }
}
