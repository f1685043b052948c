using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// Reads and acts on the dead-letter list (newest first, capped at <see cref="Capacity"/> entries
/// by the finish script). A dead letter is named by its sweep and exchange: a job is dead-lettered
/// at most once per sweep until it is requeued.
/// </summary>
public sealed class DeadLetterStore
{
    /// <summary>The list's cap: the finish script trims it to this many entries.</summary>
    public const int Capacity = 1000;

    private readonly IConnectionMultiplexer _redis;
    private readonly CoordinationKeys _keys;

    public DeadLetterStore(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options)
    {
        _redis = redis;
        _keys = new CoordinationKeys(options.Value.KeyPrefix);
    }

    private IDatabase Database => _redis.GetDatabase();

    /// <summary>
    /// One page of the dead letters, newest first, optionally of one error class. The whole list
    /// is read (it is capped) so that the filter and the total are exact.
    /// </summary>
    public async Task<DeadLetterPage> GetPageAsync(string? errorClass, int offset, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var entries = await ReadAllAsync(ct);
        var matching = entries.Where(e => errorClass is null || e.Letter.ErrorClass == errorClass).ToList();
        var classes = entries.GroupBy(e => e.Letter.ErrorClass, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new DeadLetterPage(matching.Count, classes, [.. matching.Skip(offset).Take(limit).Select(e => e.Letter)]);
    }

    /// <summary>Puts the dead-lettered job back in its sweep's queue with a fresh set of attempts.</summary>
    public async Task<RequeueResult> RequeueAsync(long sweepId, string exchange, CancellationToken ct)
    {
        Identifiers.Exchange(exchange);
        return await FindAsync(sweepId, exchange, ct) is { } entry ? await RequeueAsync(entry, ct) : RequeueResult.NotFound;
    }

    /// <summary>Requeues every dead letter of one error class; each one on its own, atomically.</summary>
    public async Task<IReadOnlyList<RequeueAttempt>> RequeueClassAsync(string errorClass, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorClass);
        var results = new List<RequeueAttempt>();
        foreach (var entry in (await ReadAllAsync(ct)).Where(e => e.Letter.ErrorClass == errorClass))
        {
            results.Add(new RequeueAttempt(entry.Letter.SweepId, entry.Letter.Exchange, await RequeueAsync(entry, ct)));
        }

        return results;
    }

    /// <summary>Removes a dead letter without retrying it; false if there was none.</summary>
    public async Task<bool> DiscardAsync(long sweepId, string exchange, CancellationToken ct)
    {
        Identifiers.Exchange(exchange);
        if (await FindAsync(sweepId, exchange, ct) is not { } entry)
        {
            return false;
        }

        ct.ThrowIfCancellationRequested();
        return await Database.ListRemoveAsync(_keys.DeadLetters, entry.Raw, 1).WaitAsync(ct) > 0;
    }

    private async Task<RequeueResult> RequeueAsync(StoredDeadLetter entry, CancellationToken ct)
    {
        var (sweepId, exchange) = (entry.Letter.SweepId, entry.Letter.Exchange);
        var jobId = CoordinationKeys.JobId(sweepId, exchange);
        var result = (int)await CoordinationScripts.RequeueDeadLetter.EvaluateAsync(Database, new
        {
            deadLetters = _keys.DeadLetters,
            sweep = _keys.Sweep(sweepId),
            outcomes = _keys.SweepOutcomes(sweepId),
            jobs = _keys.SweepJobs(sweepId),
            active = _keys.Active,
            queue = _keys.Queue,
            jobData = _keys.JobData,
            attempts = _keys.Attempts,
            entry = entry.Raw,
            sweepId,
            exchange,
            jobId,
            job = CoordinationJson.Write(new SweepJob(sweepId, exchange, 1, DateTimeOffset.UtcNow, null, null)),
            outcomeField = StoredName<ExchangeOutcomeKind>.Of(ExchangeOutcomeKind.DeadLettered),
            channel = _keys.QueueWake.ToString(),
        }, ct);
        return result switch
        {
            1 => RequeueResult.Requeued,
            0 => RequeueResult.NotFound,
            -1 => RequeueResult.SweepGone,
            -2 => RequeueResult.ExchangeBusy,
            _ => throw new InvalidDataException($"The requeue script answered {result}."),
        };
    }

    private async Task<StoredDeadLetter?> FindAsync(long sweepId, string exchange, CancellationToken ct) =>
        (await ReadAllAsync(ct)).FirstOrDefault(e => e.Letter.SweepId == sweepId && e.Letter.Exchange == exchange);

    /// <summary>The whole list; an entry that is not a dead letter (someone else's data) is left out.</summary>
    private async Task<List<StoredDeadLetter>> ReadAllAsync(CancellationToken ct)
    {
        var raw = await Database.ListRangeAsync(_keys.DeadLetters, 0, Capacity - 1).WaitAsync(ct);
        var entries = new List<StoredDeadLetter>(raw.Length);
        foreach (var value in raw)
        {
            try
            {
                entries.Add(new StoredDeadLetter(value, CoordinationJson.Read<DeadLetter>(value.ToString(), _keys.DeadLetters.ToString())));
            }
            catch (InvalidDataException)
            {
                // Not ours: shown nowhere and never requeued; the list's cap trims it in time.
            }
        }

        return entries;
    }

    private sealed record StoredDeadLetter(RedisValue Raw, DeadLetter Letter);
}

/// <summary>A page of dead letters: how many match, how many there are of each error class, and the page.</summary>
public sealed record DeadLetterPage(int Total, IReadOnlyDictionary<string, int> Classes, IReadOnlyList<DeadLetter> Items);

/// <summary>What a requeue did.</summary>
public enum RequeueResult
{
    /// <summary>The job is back in its sweep's queue and the dead letter is gone.</summary>
    Requeued,

    /// <summary>No such dead letter (already requeued or discarded).</summary>
    NotFound,

    /// <summary>Its sweep expired or was cancelled: start a new sweep for the exchange instead.</summary>
    SweepGone,

    /// <summary>The exchange is queued or being swept right now; try again after.</summary>
    ExchangeBusy,
}

public sealed record RequeueAttempt(long SweepId, string Exchange, RequeueResult Result);
