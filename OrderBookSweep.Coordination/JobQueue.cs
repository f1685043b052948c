using System.Globalization;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// The worker side of the sweep-job queue: claims jobs under leases, at most
/// <see cref="CoordinationOptions.MaxConcurrentExchanges"/> at once, so that the jobs waiting for
/// a permit are never later ones than those holding one. Waiting costs nothing: a claimer sleeps
/// until an enqueue or the end of a lease publishes a wake-up, re-checking every
/// <see cref="CoordinationOptions.ClaimWait"/> in case one was lost; each check also requeues
/// lapsed leases and due retries, so a dead worker's job comes back while anyone waits.
/// </summary>
public sealed class JobQueue
{
    private readonly WakeupChannel _wake;

    public JobQueue(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options)
    {
        Redis = redis;
        Options = options.Value;
        Keys = new CoordinationKeys(Options.KeyPrefix);
        _wake = new WakeupChannel(redis, Keys.QueueWake);
    }

    internal IConnectionMultiplexer Redis { get; }

    internal CoordinationOptions Options { get; }

    internal CoordinationKeys Keys { get; }

    internal IDatabase Database => Redis.GetDatabase();

    /// <summary>Waits until a job is claimed; the returned lease renews itself until it is ended.</summary>
    public async Task<JobLease> ClaimAsync(string workerId, CancellationToken ct)
    {
        Identifiers.Holder(workerId, nameof(workerId));
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var next = _wake.Next;
            try
            {
                await _wake.EnsureSubscribedAsync(ct);
                if (await ClaimOrHandBackAsync(workerId, ct) is { } lease)
                {
                    return lease;
                }
            }
            catch (Exception e) when (TransientRedisError.Is(e))
            {
                // Redis unreachable for now: the multiplexer reconnects; keep waiting.
            }

            await WakeupChannel.WaitAsync(next, Options.ClaimWait, ct);
        }
    }

    /// <summary>
    /// One claim, which stops waiting when <paramref name="ct"/> is cancelled. A claim the server
    /// granted after that is handed back when its answer arrives, so the job is not left to lapse.
    /// </summary>
    private async Task<JobLease?> ClaimOrHandBackAsync(string workerId, CancellationToken ct)
    {
        var claim = TryClaimAsync(workerId);
        try
        {
            return await claim.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _ = HandBackAsync(claim);
            throw;
        }
    }

    private static async Task HandBackAsync(Task<JobLease?> claim)
    {
        try
        {
            if (await claim is { } lease)
            {
                await lease.DisposeAsync();
            }
        }
        catch (Exception e) when (e is RedisException or InvalidDataException)
        {
            // The claim failed or Redis is unreachable: a granted lease lapses and a claimer requeues its job.
        }
    }

    private async Task<JobLease?> TryClaimAsync(string workerId)
    {
        while (true)
        {
            var token = Guid.NewGuid().ToString("N");
            var result = (RedisResult[])(await CoordinationScripts.ClaimJob.EvaluateAsync(Database, new
            {
                queue = Keys.Queue,
                delayed = Keys.Delayed,
                leases = Keys.Leases,
                leaseInfo = Keys.LeaseInfo,
                attempts = Keys.Attempts,
                jobData = Keys.JobData,
                token,
                worker = workerId,
                leaseMs = (long)Options.LeaseDuration.TotalMilliseconds,
                maxAttempts = Options.MaxAttempts,
                maxLeases = Options.MaxConcurrentExchanges,
            }, CancellationToken.None))!;

            // After the four fixed fields: lapsed leases with no attempts left.
            var exhausted = result.Skip(4).Select(r => (string)r!).ToList();
            foreach (var lapsed in exhausted)
            {
                await (CoordinationKeys.TryParseJobId(lapsed, out _, out _) ? DeadLetterLapsedAsync(lapsed) : DropForeignAsync(lapsed));
            }

            var jobId = (string)result[0]!;
            if (jobId.Length == 0)
            {
                // Ending those leases may have made room under the cap: look once more.
                if (exhausted.Count > 0)
                {
                    continue;
                }

                return null;
            }

            if (!CoordinationKeys.TryParseJobId(jobId, out var sweepId, out var exchange))
            {
                // Not a job id this library wrote (someone else's data in the queue): dropped, or it
                // would fail this claim, lapse, come back and fail every claim after it.
                await DropForeignAsync(jobId);
                continue;
            }

            if (!await Database.KeyExistsAsync(Keys.Sweep(sweepId)))
            {
                // A job of no sweep we hold (someone else's, or its sweep's record expired or was
                // lost): there is no sweep to record its outcome in, so it is dropped, not swept.
                await DropForeignAsync(jobId);
                continue;
            }

            var attempt = (int)result[1];
            var job = ReadStoredJob((string)result[2]!, jobId) is { } stored && stored.SweepId == sweepId && stored.Exchange == exchange
                ? stored with { Attempt = attempt }
                // Missing, unreadable or another job's (someone wrote over it): the id says what the
                // job is, so it is still swept and ends in an outcome; only its trace context is lost.
                : new SweepJob(sweepId, exchange, attempt, CoordinationJson.FromUnixMs((long)result[3]), null, null);
            return new JobLease(this, job, jobId, token, workerId);
        }
    }

    private SweepJob? ReadStoredJob(string data, string jobId)
    {
        try
        {
            return data.Length == 0 ? null : CoordinationJson.Read<SweepJob>(data, $"{Keys.JobData} {jobId}");
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Removes a foreign entry the claim script leased, so it neither lapses nor comes back.</summary>
    private async Task DropForeignAsync(string jobId)
    {
        await Database.SortedSetRemoveAsync(Keys.Leases, jobId);
        await Database.HashDeleteAsync(Keys.LeaseInfo, jobId);
        await Database.HashDeleteAsync(Keys.Attempts, jobId);
        await Database.HashDeleteAsync(Keys.JobData, jobId);
    }

    /// <summary>A lapsed lease with no attempts left ends dead-lettered (the claim script cannot name the sweep's keys).</summary>
    private async Task DeadLetterLapsedAsync(string jobId)
    {
        var (sweepId, exchange) = ParseJobId(jobId);
        const string errorClass = "LeaseExpired";
        const string reason = "the lease lapsed on the last attempt (worker died, hung or was cut off)";
        var now = DateTimeOffset.UtcNow;
        var outcome = ExchangeOutcome.Lapsed(errorClass, reason, Options.MaxAttempts, now);
        var deadLetter = new DeadLetter(sweepId, exchange, Options.MaxAttempts, errorClass, reason, Retryable: true, Worker: null, now);
        await FinishAsync(jobId, token: "", job: new SweepJob(sweepId, exchange, Options.MaxAttempts, default, null, null), outcome, duration: null, deadLetter, CancellationToken.None);
    }

    /// <summary>Runs the Finish script; false if the fence refused it.</summary>
    internal async Task<bool> FinishAsync(string jobId, string token, SweepJob job, ExchangeOutcome outcome, TimeSpan? duration, DeadLetter? deadLetter, CancellationToken ct)
    {
        var recorded = await CoordinationScripts.FinishJob.EvaluateAsync(Database, new
        {
            leases = Keys.Leases,
            leaseInfo = Keys.LeaseInfo,
            jobData = Keys.JobData,
            attempts = Keys.Attempts,
            active = Keys.Active,
            sweep = Keys.Sweep(job.SweepId),
            outcomes = Keys.SweepOutcomes(job.SweepId),
            sweepJobs = Keys.SweepJobs(job.SweepId),
            current = Keys.CurrentSweep,
            durations = Keys.Durations,
            deadLetters = Keys.DeadLetters,
            jobId,
            token,
            sweepId = job.SweepId,
            exchange = job.Exchange,
            outcome = StoredName<ExchangeOutcomeKind>.Of(outcome.Outcome),
            outcomeJson = CoordinationJson.Write(outcome),
            durationMs = duration is { } d ? ((long)d.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "",
            deadLetter = deadLetter is null ? "" : CoordinationJson.Write(deadLetter),
            retentionMs = (long)Options.SweepRetention.TotalMilliseconds,
            maxAttempts = Options.MaxAttempts,
            queue = Keys.Queue,
            wakeChannel = Keys.QueueWake.ToString(),
        }, ct);
        return (int)recorded == 1;
    }

    private static (long SweepId, string Exchange) ParseJobId(string jobId) =>
        CoordinationKeys.TryParseJobId(jobId, out var sweepId, out var exchange)
            ? (sweepId, exchange)
            : throw new InvalidDataException($"Malformed job id '{jobId}' in the queue.");

    internal TimeSpan BackoffFor(int attempt)
    {
        var backoff = Options.RetryBackoff * Math.Pow(2, Math.Min(attempt - 1, 30));
        return backoff > Options.MaxRetryBackoff ? Options.MaxRetryBackoff : backoff;
    }
}
