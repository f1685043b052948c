using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>
/// Samples the resident memory of every process of the system twice a second: each process's
/// peak (with the kernel's own high-water mark where the process is still alive), and each
/// worker's peak together with its engine, summed at the same instant.
/// </summary>
internal sealed class MemoryWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, (string Role, double MiB)> _peaks = new();
    private readonly ConcurrentDictionary<int, (double Worker, double Engine, int Sweep, double AtSeconds)> _replicaPeaks = new();
    private readonly Stopwatch _sweepClock = new();
    private int _sweep;
    private readonly ConcurrentDictionary<int, double> _replicaPrivatePeaks = new();
    private readonly Task _sampling;

    public MemoryWatch() => _sampling = Task.Run(SampleAsync);

    /// <summary>Marks the start of the next sweep, so that each replica's peak is placed in its sweep.</summary>
    public void SweepStarting()
    {
        Interlocked.Increment(ref _sweep);
        _sweepClock.Restart();
    }

    public MemoryPeaks Stop()
    {
        _stop.Cancel();
        _sampling.Wait();
        var processes = SystemCpu.Processes();
        foreach (var (pid, (role, mib)) in _peaks)
        {
            if (processes.ContainsKey(pid))
            {
                _peaks[pid] = (role, Math.Max(mib, ProcFs.PeakRssMiB(pid)));
            }
        }

        var byRole = _peaks.Values.GroupBy(p => p.Role).ToDictionary(g => g.Key, g => g.Max(p => p.MiB));
        return new MemoryPeaks(
            byRole,
            [.. _replicaPeaks.Values.OrderByDescending(r => r.Worker + r.Engine).Select(r => new ReplicaMemory(r.Worker, r.Engine, r.Sweep, r.AtSeconds))],
            [.. _replicaPrivatePeaks.Values.OrderDescending()]);
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        var processes = SystemCpu.Processes();
        var tick = 0;
        try
        {
            do
            {
                if (++tick % 4 == 0)
                {
                    processes = SystemCpu.Processes(); // engines restart, replicas come and go
                }

                var rss = processes.ToDictionary(p => p.Key, p => (Role: p.Value, MiB: ProcFs.RssMiB(p.Key)));
                foreach (var (pid, now) in rss)
                {
                    _peaks.AddOrUpdate(pid, now, (_, peak) => now.MiB > peak.MiB ? now : peak);
                }

                foreach (var (worker, _) in rss.Where(p => p.Value.Role == SystemCpu.Worker))
                {
                    var engines = rss.Where(p => p.Value.Role == SystemCpu.Engine && ProcFs.ParentOf(p.Key) == worker).ToList();
                    var now = (Worker: rss[worker].MiB, Engine: engines.Sum(p => p.Value.MiB), Sweep: Volatile.Read(ref _sweep), AtSeconds: _sweepClock.Elapsed.TotalSeconds);
                    _replicaPeaks.AddOrUpdate(worker, now, (_, peak) => now.Worker + now.Engine > peak.Worker + peak.Engine ? now : peak);
                    var own = ProcFs.PrivateMiB(worker) + engines.Sum(p => ProcFs.PrivateMiB(p.Key));
                    _replicaPrivatePeaks.AddOrUpdate(worker, own, (_, peak) => Math.Max(own, peak));
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
