using System.Diagnostics;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// A claimed job. The lease renews itself in the background until the job is completed,
/// failed or abandoned; <see cref="LeaseLost"/> fires when renewal finds it gone (lapsed and
/// requeued, or the sweep cancelled). Every write is fenced by the lease: once lost, writes
/// throw <see cref="LeaseLostException"/> and change nothing. Disposing an unfinished lease
/// hands the job back.
/// </summary>
public sealed class JobLease : IAsyncDisposable
{
    private readonly JobQueue _queue;
    private readonly LeaseRenewal _renewal;
    private readonly long _claimedAt = Stopwatch.GetTimestamp();
    private int _ended;

    internal JobLease(JobQueue queue, SweepJob job, string jobId, string token, string workerId)
    {
        _queue = queue;
        Job = job;
        JobId = jobId;
        Token = token;
        WorkerId = workerId;
        _renewal = new LeaseRenewal(RenewAsync, queue.Options.EffectiveRenewInterval, queue.Options.LeaseDuration);
    }

    public SweepJob Job { get; }

    public string WorkerId { get; }

    public CancellationToken LeaseLost => _renewal.Lost;

    internal string JobId { get; }

    internal string Token { get; }

    /// <summary>Records the terminal outcome and acknowledges the job.</summary>
    /// <remarks>
    /// Cancelled before it starts, it changes nothing and the lease lives on. Cancelled while the
    /// write is in flight, the lease has ended here and the write may or may not have landed: if
    /// not, the lease lapses and the job comes back, as when Redis is unreachable. The same holds
    /// for <see cref="FailAsync"/> and <see cref="AbandonAsync"/>.
    /// </remarks>
    /// <exception cref="LeaseLostException">The lease is no longer this worker's; nothing was recorded.</exception>
    public async Task CompleteAsync(ExchangeOutcome outcome, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Outcome is not (ExchangeOutcomeKind.Succeeded or ExchangeOutcomeKind.Partial or ExchangeOutcomeKind.Failed))
        {
            throw new ArgumentException($"CompleteAsync records succeeded, partial or failed; {outcome.Outcome} is not one of them (use FailAsync to give up).", nameof(outcome));
        }

        ct.ThrowIfCancellationRequested();
        await EndAsync();
        var stamped = outcome.StampedBy(Job.Attempt, WorkerId);
        if (!await _queue.FinishAsync(JobId, Token, Job, stamped, DurationOf(outcome), deadLetter: null, ct))
        {
            throw Lost("complete");
        }
    }

    /// <summary>
    /// How long the job took from its first attempt, as the planner ranks it: this attempt's time
    /// (the outcome's own times, else since the claim) once per attempt, plus the backoffs between
    /// them. An exchange that fails and retries needs its backoffs too: ranked by its last attempt
    /// alone, it would be queued among the shortest and end after everything else.
    /// </summary>
    private TimeSpan DurationOf(ExchangeOutcome outcome)
    {
        var attempt = outcome is { StartedAt: { } started, FinishedAt: { } finished } ? finished - started : Stopwatch.GetElapsedTime(_claimedAt);
        var span = attempt * Job.Attempt;
        for (var earlier = 1; earlier < Job.Attempt; earlier++)
        {
            span += _queue.BackoffFor(earlier);
        }

        return span;
    }

    /// <summary>
    /// Records a failure (its error class and message, and what was done before it): a retryable
    /// one with attempts left goes back to the queue after an exponential backoff (returns true);
    /// otherwise the job ends dead-lettered with the reason (returns false).
    /// </summary>
    /// <exception cref="ArgumentException">The failure names no error class.</exception>
    /// <exception cref="LeaseLostException">The lease is no longer this worker's; nothing was recorded.</exception>
    public async Task<bool> FailAsync(ExchangeOutcome failure, bool retryable, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (string.IsNullOrWhiteSpace(failure.ErrorClass))
        {
            throw new ArgumentException("A failure names its error class.", nameof(failure));
        }

        ct.ThrowIfCancellationRequested();
        await EndAsync();
        if (retryable && Job.Attempt < _queue.Options.MaxAttempts)
        {
            var keys = _queue.Keys;
            var retried = await CoordinationScripts.RetryJob.EvaluateAsync(_queue.Database, new
            {
                leases = keys.Leases,
                leaseInfo = keys.LeaseInfo,
                delayed = keys.Delayed,
                attempts = keys.Attempts,
                jobId = JobId,
                token = Token,
                backoffMs = (long)_queue.BackoffFor(Job.Attempt).TotalMilliseconds,
                queue = keys.Queue,
                wakeChannel = keys.QueueWake.ToString(),
            }, ct);
            return (int)retried == 1 ? true : throw Lost("schedule another attempt of");
        }

        var now = DateTimeOffset.UtcNow;
        var outcome = failure.DeadLettered(now).StampedBy(Job.Attempt, WorkerId);
        var deadLetter = new DeadLetter(Job.SweepId, Job.Exchange, Job.Attempt, failure.ErrorClass, failure.Message ?? "", retryable, WorkerId, now);
        // Its duration too: the planner starts exchanges of unknown duration first, and one that
        // always fails would otherwise stay unknown and go before the longest exchange every sweep.
        return await _queue.FinishAsync(JobId, Token, Job, outcome, DurationOf(outcome), deadLetter, ct) ? false : throw Lost("dead-letter");
    }

    /// <summary>
    /// Graceful shutdown: hands the job back to the queue head at once, same attempt. Does
    /// nothing if the job was already completed, failed or abandoned.
    /// </summary>
    public async Task AbandonAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _ended) == 1)
        {
            return;
        }

        ct.ThrowIfCancellationRequested();
        await EndAsync();
        var keys = _queue.Keys;
        // A refusal means the lease was already lost: the job is back in other hands, nothing to hand back.
        await CoordinationScripts.AbandonJob.EvaluateAsync(_queue.Database, new
        {
            leases = keys.Leases,
            leaseInfo = keys.LeaseInfo,
            queue = keys.Queue,
            jobId = JobId,
            token = Token,
            wakeChannel = keys.QueueWake.ToString(),
        }, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _ended) == 0)
        {
            try
            {
                await AbandonAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is RedisException)
            {
                // Redis unreachable: the lease lapses and a claimer requeues the job.
            }
        }

        await _renewal.DisposeAsync();
    }

    /// <summary>Stops or resumes renewing without ending: a stalled worker, as the server sees it (tests).</summary>
    internal void SuspendRenewal(bool suspended) => _renewal.Suspended = suspended;

    private async Task EndAsync()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            throw new InvalidOperationException($"Job {JobId} was already completed, failed or abandoned.");
        }

        // Stop renewing first: a renewal racing the final write would report a spurious loss.
        await _renewal.DisposeAsync();
    }

    private LeaseLostException Lost(string action) =>
        new($"Cannot {action} job {JobId}: worker {WorkerId} no longer holds its lease (lapsed or sweep cancelled).");

    private async Task<bool> RenewAsync(CancellationToken ct)
    {
        var keys = _queue.Keys;
        var renewed = await CoordinationScripts.RenewJob.EvaluateAsync(_queue.Database, new
        {
            leases = keys.Leases,
            leaseInfo = keys.LeaseInfo,
            jobId = JobId,
            token = Token,
            leaseMs = (long)_queue.Options.LeaseDuration.TotalMilliseconds,
        }, ct);
        return (int)renewed == 1;
    }
}
