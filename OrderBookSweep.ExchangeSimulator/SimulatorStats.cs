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

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _requests = new();
    private readonly Dictionary<string, int> _inFlight = new();
    private readonly Dictionary<string, Dictionary<string, int>> _workersInFlight = new();
    private readonly Queue<WorkerOverlap> _overlaps = new();
    private int _maxDistinctInFlight;
    private long _overlapCount;

    /// <param name="worker">The calling worker (<see cref="WorkerHeader"/>); null when the caller does not say.</param>
    public IDisposable Track(string exchange, string? worker = null)
    {
        lock (_gate)
        {
            _requests[exchange] = _requests.GetValueOrDefault(exchange) + 1;
            _inFlight[exchange] = _inFlight.GetValueOrDefault(exchange) + 1;
            _maxDistinctInFlight = Math.Max(_maxDistinctInFlight, _inFlight.Count);
            if (worker is not null)
            {
                AddWorker(exchange, worker);
            }
        }
        return new Release(this, exchange, worker);
    }

    public StatsSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new StatsSnapshot(
                new Dictionary<string, long>(_requests),
                _requests.Values.Sum(),
                _maxDistinctInFlight,
                _inFlight.Count,
                new Dictionary<string, int>(_inFlight),
                _overlapCount,
                [.. _overlaps]);
        }
    }

    /// <summary>Forgets counts and overlaps; the maximum restarts from what is in flight now.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _maxDistinctInFlight = _inFlight.Count;
            _overlapCount = 0;
            _overlaps.Clear();
        }
    }

    private void AddWorker(string exchange, string worker)
    {
        if (!_workersInFlight.TryGetValue(exchange, out var workers))
        {
            _workersInFlight[exchange] = workers = new Dictionary<string, int>();
        }
        var isNew = !workers.ContainsKey(worker);
        workers[worker] = workers.GetValueOrDefault(worker) + 1;
        if (isNew && workers.Count > 1)
        {
            _overlapCount++;
            _overlaps.Enqueue(new WorkerOverlap(exchange, [.. workers.Keys.Order()], DateTimeOffset.UtcNow));
            if (_overlaps.Count > OverlapsKept)
            {
                _overlaps.Dequeue();
            }
        }
    }

    private void End(string exchange, string? worker)
    {
        lock (_gate)
        {
            if (--_inFlight[exchange] == 0)
            {
                _inFlight.Remove(exchange);
            }
            if (worker is not null && --_workersInFlight[exchange][worker] == 0)
            {
                _workersInFlight[exchange].Remove(worker);
            }
        }
    }

    private sealed class Release(SimulatorStats stats, string exchange, string? worker) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
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
