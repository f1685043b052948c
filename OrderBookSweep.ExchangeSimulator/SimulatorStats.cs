namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// The simulator's own view of a run: requests per exchange, and the most DISTINCT exchanges that
/// had a request in flight at one moment (how tests check the system's global cap from outside).
/// </summary>
public sealed class SimulatorStats
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> requests = new();
    private readonly Dictionary<string, int> inFlight = new();
    private int maxDistinctInFlight;

    public IDisposable Track(string exchange)
    {
        lock (gate)
        {
            requests[exchange] = requests.GetValueOrDefault(exchange) + 1;
            inFlight[exchange] = inFlight.GetValueOrDefault(exchange) + 1;
            maxDistinctInFlight = Math.Max(maxDistinctInFlight, inFlight.Count);
        }
        return new Release(this, exchange);
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
                new Dictionary<string, int>(inFlight));
        }
    }

    /// <summary>Forgets counts; the maximum restarts from what is in flight now.</summary>
    public void Reset()
    {
        lock (gate)
        {
            requests.Clear();
            maxDistinctInFlight = inFlight.Count;
        }
    }

    private void End(string exchange)
    {
        lock (gate)
        {
            if (--inFlight[exchange] == 0)
            {
                inFlight.Remove(exchange);
            }
        }
    }

    private sealed class Release(SimulatorStats stats, string exchange) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                stats.End(exchange);
            }
        }
    }
}

public sealed record StatsSnapshot(
    IReadOnlyDictionary<string, long> RequestsPerExchange,
    long TotalRequests,
    int MaxDistinctExchangesInFlight,
    int DistinctExchangesInFlight,
    IReadOnlyDictionary<string, int> InFlightPerExchange);
