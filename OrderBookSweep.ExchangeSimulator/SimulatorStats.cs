namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// The simulator's own view of a run: requests per exchange, the most DISTINCT exchanges that
/// had a request in flight at one moment (how tests check the system's global cap from outside),
/// and every moment one exchange had requests in flight from two worker processes (how the
/// reliability drill checks, outside the semaphore, that no exchange is worked on twice at once).
/// </summary>
public sealed class SimulatorStats
{
    /// <summary>Sent by the worker's ccxt engine when it talks to a stand-in: the worker's process id.</summary>
    public const string WorkerHeader = "X-Sweep-Worker-Pid";

    private const int OverlapsKept = 50;

    private readonly Lock gate = new();
    private readonly Dictionary<string, long> requests = new();
    private readonly Dictionary<string, int> inFlight = new();
    private readonly Dictionary<string, Dictionary<string, int>> workersInFlight = new();
    private readonly Queue<WorkerOverlap> overlaps = new();
    private int maxDistinctInFlight;
    private long overlapCount;

    /// <param name="worker">The calling worker (<see cref="WorkerHeader"/>); null when the caller does not say.</param>
    public IDisposable Track(string exchange, string? worker = null)
    {
        lock (gate)
        {
            requests[exchange] = requests.GetValueOrDefault(exchange) + 1;
            inFlight[exchange] = inFlight.GetValueOrDefault(exchange) + 1;
            maxDistinctInFlight = Math.Max(maxDistinctInFlight, inFlight.Count);
            if (worker is not null)
            {
                AddWorker(exchange, worker);
            }
        }
        return new Release(this, exchange, worker);
    }

    public StatsSnapshot Snapshot()
    {
        lock (gate)
        {
            return new StatsSnapshot(
                new Dictionary<string, long>(requests),
                requests.Values.Sum(),
                maxDistinctInFlight,
                inFlight.Count,
                new Dictionary<string, int>(inFlight),
                overlapCount,
                [.. overlaps]);
        }
    }

    /// <summary>Forgets counts and overlaps; the maximum restarts from what is in flight now.</summary>
    public void Reset()
    {
        lock (gate)
        {
            requests.Clear();
            maxDistinctInFlight = inFlight.Count;
            overlapCount = 0;
            overlaps.Clear();
        }
    }

    private void AddWorker(string exchange, string worker)
    {
        if (!workersInFlight.TryGetValue(exchange, out var workers))
        {
            workersInFlight[exchange] = workers = new Dictionary<string, int>();
        }
        var isNew = !workers.ContainsKey(worker);
        workers[worker] = workers.GetValueOrDefault(worker) + 1;
        if (isNew && workers.Count > 1)
        {
            overlapCount++;
            overlaps.Enqueue(new WorkerOverlap(exchange, [.. workers.Keys.Order()], DateTimeOffset.UtcNow));
            if (overlaps.Count > OverlapsKept)
            {
                overlaps.Dequeue();
            }
        }
    }

    private void End(string exchange, string? worker)
    {
        lock (gate)
        {
            if (--inFlight[exchange] == 0)
            {
                inFlight.Remove(exchange);
            }
            if (worker is not null && --workersInFlight[exchange][worker] == 0)
            {
                workersInFlight[exchange].Remove(worker);
            }
        }
    }

    private sealed class Release(SimulatorStats stats, string exchange, string? worker) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                stats.End(exchange, worker);
            }
        }
    }
}

/// <summary>Requests for one exchange were in flight from these workers at the same moment.</summary>
public sealed record WorkerOverlap(string Exchange, IReadOnlyList<string> Workers, DateTimeOffset At);

public sealed record StatsSnapshot(
    IReadOnlyDictionary<string, long> RequestsPerExchange,
    long TotalRequests,
    int MaxDistinctExchangesInFlight,
    int DistinctExchangesInFlight,
    IReadOnlyDictionary<string, int> InFlightPerExchange,
    long ExchangesWorkedByTwoWorkersAtOnce,
    IReadOnlyList<WorkerOverlap> RecentOverlaps);
