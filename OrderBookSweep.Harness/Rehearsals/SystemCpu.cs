namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>
/// CPU time spent by the system's processes, by role: what a book costs regardless of how busy
/// the shared machine is. The AppHost's DCP runs them; it detaches from this process but watches
/// it (--monitor our pid), which tells our DCP from other engineers'. The simulator, DCP and this
/// process (the AppHost and the telemetry sink) are read too: they share the two cores with
/// whichever of the peer and the system runs, but are not the system's own cost.
/// </summary>
public static class SystemCpu
{
    public const string Worker = "worker";
    public const string Engine = "node engine";
    public const string Scheduler = "scheduler";
    public const string Redis = "redis-server";
    public const string Simulator = "simulator";
    public const string Dcp = "dcp";
    public const string AppHost = "apphost + sink";

    /// <summary>The roles that are the system's own cost; the others serve the peer too.</summary>
    public static readonly IReadOnlyList<string> SystemRoles = [Worker, Engine, Redis, Scheduler];

    public static readonly IReadOnlyList<string> SharedRoles = [Simulator, Dcp, AppHost];

    public static IReadOnlyDictionary<int, ProcessCpu> Read() =>
        Processes().ToDictionary(p => p.Key, p => new ProcessCpu(p.Value, ProcFs.CpuTime(p.Key), ProcFs.ChildrenCpuTime(p.Key)));

    /// <summary>The system's processes now, by pid, with their role.</summary>
    public static IReadOnlyDictionary<int, string> Processes()
    {
        var monitor = $"--monitor {Environment.ProcessId} ";
        var dcp = ProcFs.Pids()
            .Where(pid => ProcFs.ProgramOf(pid) == "dcp" && ProcFs.CommandLineOf(pid).Contains(monitor, StringComparison.Ordinal))
            .ToList();
        var processes = dcp.SelectMany(ProcFs.DescendantsOf)
            .Distinct()
            .ToDictionary(pid => pid, ProcFs.ProgramOf);
        var roles = new Dictionary<int, string> { [Environment.ProcessId] = AppHost };
        foreach (var pid in dcp)
        {
            roles[pid] = Dcp;
        }

        foreach (var (pid, program) in processes)
        {
            var role = program switch
            {
                "OrderBookSweep.Worker" => Worker,
                "node" when processes.GetValueOrDefault(ProcFs.ParentOf(pid)) == "OrderBookSweep.Worker" => Engine,
                "OrderBookSweep.Scheduler" => Scheduler,
                "redis-server" => Redis,
                "OrderBookSweep.ExchangeSimulator" => Simulator,
                "dcp" or "dcpctrl" or "dcpproc" => Dcp,
                _ => null,
            };
            if (role is not null)
            {
                roles[pid] = role;
            }
        }

        return roles;
    }

    /// <summary>
    /// CPU time by role between two readings. A process started since the first counts whole. A
    /// worker replaces its engine when it is idle and grown: the engines that ended in between
    /// count through their worker's waited-for children (their whole lives, less what the first
    /// reading had already seen of those that were running then).
    /// </summary>
    public static IReadOnlyDictionary<string, TimeSpan> Difference(
        IReadOnlyDictionary<int, ProcessCpu> before, IReadOnlyDictionary<int, ProcessCpu> after)
    {
        var used = new Dictionary<string, TimeSpan>();
        void Add(string role, TimeSpan cpu) => used[role] = used.GetValueOrDefault(role) + cpu;
        foreach (var (pid, now) in after)
        {
            var then = before.GetValueOrDefault(pid);
            Add(now.Role, now.Cpu - (then?.Cpu ?? TimeSpan.Zero));
            if (now.Role == Worker)
            {
                Add(Engine, now.EndedChildrenCpu - (then?.EndedChildrenCpu ?? TimeSpan.Zero));
            }
        }

        foreach (var (_, ended) in before.Where(b => b.Value.Role == Engine && !after.ContainsKey(b.Key)))
        {
            Add(Engine, -ended.Cpu);
        }

        return used;
    }
}

/// <summary>One process's role and CPU time so far, and that of its children that have ended.</summary>
public sealed record ProcessCpu(string Role, TimeSpan Cpu, TimeSpan EndedChildrenCpu);
