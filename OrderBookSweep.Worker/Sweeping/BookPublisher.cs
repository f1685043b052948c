using System.Runtime.ExceptionServices;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Worker.Sweeping;

/// <summary>
/// Publishes one job's books to Redis, many to a call. A book waits up to
/// <see cref="WorkerOptions.PublishLinger"/> for the books of the job's other fetch lanes, and they
/// leave together: one script run and one round trip for the lot, where a call per book cost Redis
/// and the worker more CPU than the book itself. The lane that handed a book over fetches on
/// meanwhile; <see cref="DrainAsync"/> waits until every book handed over is stored.
/// </summary>
/// <remarks>
/// At most <see cref="MaxPendingBooks"/> books wait or travel at once: past that,
/// <see cref="PublishAsync"/> waits for room. The first call that fails (a
/// <see cref="LeaseLostException"/> when the lease's fence refused it) fails the rest: later
/// books are dropped, <see cref="PublishAsync"/> and <see cref="DrainAsync"/> throw it.
/// </remarks>
public sealed class BookPublisher(ResultStore results, JobLease lease, WorkerTelemetry telemetry, TimeSpan linger)
{
    /// <summary>Books of one job waiting or on their way: a few lingers' worth of a fast exchange's books.</summary>
    public const int MaxPendingBooks = 64;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _room = new(MaxPendingBooks, MaxPendingBooks);
    private List<BookSnapshot> _pending = [];
    private Task _sending = Task.CompletedTask;
    private bool _isSending;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Hands a book over; returns once it is queued (at once, unless the queue is full).</summary>
    /// <exception cref="LeaseLostException">An earlier call found the lease lost; nothing more is published.</exception>
    public async Task PublishAsync(BookSnapshot book, CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken);
        lock (_gate)
        {
            if (_failure is { } failure)
            {
                _room.Release();
                failure.Throw();
            }

            _pending.Add(book);
            if (!_isSending)
            {
                _isSending = true;
                // Returns at its first await, before it takes the lock.
                _sending = SendAsync();
            }
        }
    }

    /// <summary>Waits until every book handed over is stored; throws what failed, if anything did.</summary>
    public async Task DrainAsync()
    {
        Task sending;
        lock (_gate)
        {
            sending = _sending;
        }

        await sending;
        _failure?.Throw();
    }

    /// <summary>Sends what is pending, after a linger, call after call until nothing is; never throws.</summary>
    private async Task SendAsync()
    {
        // The first book of a burst waits for company; those that gather during a call then
        // leave with the next one without waiting again.
        if (linger > TimeSpan.Zero)
        {
            await Task.Delay(linger);
        }
        else
        {
            await Task.Yield();
        }

        while (true)
        {
            List<BookSnapshot> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _isSending = false;
                    return;
                }

                batch = _pending;
                _pending = [];
            }

            try
            {
                if (_failure is null)
                {
                    // Not cancelled by any one lane: the lease's fence already keeps a late call from writing.
                    telemetry.BooksSent(batch.Count);
                    if (!await results.PublishBooksAsync(lease, batch, CancellationToken.None))
                    {
                        Fail(new LeaseLostException(
                            $"{lease.Job.Exchange}: the job's lease was lost; {batch.Count} book(s) ({batch[0].Symbol}, ...) were not published."));
                    }
                }
            }
            catch (Exception ex)
            {
                Fail(ex);
            }
            finally
            {
                _room.Release(batch.Count);
            }
        }
    }

    private void Fail(Exception ex) => Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(ex), null);
}
