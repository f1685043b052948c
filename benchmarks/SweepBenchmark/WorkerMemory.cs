namespace SweepBenchmark;

/// <summary>
/// Resident memory of a worker replica and of its ccxt engine (the node child it starts), read
/// from /proc. A worker's id is "{MachineName}-{ProcessId}", so the outcomes name the processes.
/// </summary>
internal static class WorkerMemory
{
    public static WorkerRss Read(string workerId)
    {
        var pid = int.Parse(workerId[(workerId.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var engine = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0)
            .Where(p => p > 0 && ParentOf(p) == pid && CommandOf(p) == "node")
            .Sum(RssMiB);
        return new WorkerRss(workerId, RssMiB(pid), engine);
    }

    private static double RssMiB(int pid)
    {
        var line = ReadOrEmpty($"/proc/{pid}/status").Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Field 4 of /proc/pid/stat, after the parenthesised command (which may hold spaces).</summary>
    private static int ParentOf(int pid)
    {
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], out var parent) ? parent : 0;
    }

    private static string CommandOf(int pid) => ReadOrEmpty($"/proc/{pid}/comm").Trim();

    /// <summary>Processes come and go while we read: a vanished one reads as empty.</summary>
    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}

internal sealed record WorkerRss(string WorkerId, double WorkerMiB, double EngineMiB)
{
    public double TotalMiB => WorkerMiB + EngineMiB;
}
