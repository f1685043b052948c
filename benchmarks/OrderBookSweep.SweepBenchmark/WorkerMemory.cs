using OrderBookSweep.Harness.Rehearsals;

namespace OrderBookSweep.SweepBenchmark;

/// <summary>
/// Resident memory of a worker replica and of its ccxt engine (the node child it starts). A
/// worker's id is "{MachineName}-{ProcessId}", so the outcomes name the processes.
/// </summary>
internal static class WorkerMemory
{
    public static WorkerRss Read(string workerId)
    {
        var pid = int.Parse(workerId[(workerId.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var engine = ProcFs.Pids()
            .Where(p => ProcFs.ParentOf(p) == pid && ProcFs.ProgramOf(p) == "node")
            .Sum(ProcFs.RssMiB);
        return new WorkerRss(workerId, ProcFs.RssMiB(pid), engine);
    }
}

internal sealed record WorkerRss(string WorkerId, double WorkerMiB, double EngineMiB)
{
    public double TotalMiB => WorkerMiB + EngineMiB;
}
