namespace SweepBenchmark;

/// <summary>
/// CPU time spent by the system's processes, by role: what a book costs regardless of how busy
/// the shared machine is. The AppHost's DCP runs them; it detaches from this process but watches
/// it (--monitor our pid), which tells our DCP from other engineers'. The simulator serves the
/// peer and the system alike and is left out, as is DCP.
/// </summary>
internal static class SystemCpu
{
    public const string Worker = "worker";
    public const string Engine = "node engine";
    public const string Scheduler = "scheduler";
    public const string Redis = "redis-server";

    public static IReadOnlyDictionary<int, (string Role, TimeSpan Cpu)> Read()
    {
        var monitor = $"--monitor {Environment.ProcessId} ";
        var processes = ProcFs.Pids()
            .Where(pid => ProcFs.ProgramOf(pid) == "dcp" && ProcFs.CommandLineOf(pid).Contains(monitor, StringComparison.Ordinal))
            .SelectMany(ProcFs.DescendantsOf)
            .Distinct()
            .ToDictionary(pid => pid, ProcFs.ProgramOf);
        var reading = new Dictionary<int, (string, TimeSpan)>();
        foreach (var (pid, program) in processes)
        {
            var role = program switch
            {
                "OrderBookSweep.Worker" => Worker,
                "node" when processes.GetValueOrDefault(ProcFs.ParentOf(pid)) == "OrderBookSweep.Worker" => Engine,
                "OrderBookSweep.Scheduler" => Scheduler,
                "redis-server" => Redis,
                _ => null,
            };
            if (role is not null)
            {
                reading[pid] = (role, ProcFs.CpuTime(pid));
            }
        }

        return reading;
    }

    /// <summary>CPU time by role between two readings, over the processes present in both.</summary>
    public static IReadOnlyDictionary<string, TimeSpan> Difference(
        IReadOnlyDictionary<int, (string Role, TimeSpan Cpu)> before, IReadOnlyDictionary<int, (string Role, TimeSpan Cpu)> after) =>
        after.Where(a => before.ContainsKey(a.Key))
            .GroupBy(a => a.Value.Role)
            .ToDictionary(g => g.Key, g => g.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.Value.Cpu - before[a.Key].Cpu));
}
