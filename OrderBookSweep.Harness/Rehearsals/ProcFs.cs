using System.Globalization;

namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>What /proc tells about a process: parent, program, resident memory, CPU time.</summary>
public static class ProcFs
{
    /// <summary>Clock ticks per second of utime/stime (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>Every process below <paramref name="root"/>.</summary>
    public static IReadOnlyList<int> DescendantsOf(int root)
    {
        var children = Pids().GroupBy(ParentOf).ToDictionary(g => g.Key, g => g.ToList());
        var found = new List<int>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                pending.Enqueue(child);
            }
        }

        return found;
    }

    public static int ParentOf(int pid)
    {
        var fields = StatFields(pid);
        return fields.Length > 1 && int.TryParse(fields[1], out var parent) ? parent : 0;
    }

    /// <summary>The file name of argv[0] (redis-server rewrites its argv into one string: its first word).</summary>
    public static string ProgramOf(int pid) => Path.GetFileName(CommandLineOf(pid).Split(' ')[0]);

    /// <summary>The arguments joined by spaces.</summary>
    public static string CommandLineOf(int pid) => ReadOrEmpty($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();

    /// <summary>Resident memory now (VmRSS).</summary>
    public static double RssMiB(int pid) => StatusKiB(pid, "VmRSS:") / 1024.0;

    /// <summary>The most the process has had resident since it started (VmHWM, kept by the kernel).</summary>
    public static double PeakRssMiB(int pid) => StatusKiB(pid, "VmHWM:") / 1024.0;

    /// <summary>
    /// Memory only this process has (Private_Clean + Private_Dirty of smaps_rollup): what it adds
    /// beside other processes that map the same runtime, libraries and node binary.
    /// </summary>
    public static double PrivateMiB(int pid)
    {
        var fields = ReadOrEmpty($"/proc/{pid}/smaps_rollup").Split('\n')
            .Where(l => l.StartsWith("Private_", StringComparison.Ordinal))
            .Sum(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
        return fields / 1024.0;
    }

    private static long StatusKiB(int pid, string field)
    {
        var line = ReadOrEmpty($"/proc/{pid}/status").Split('\n').FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>User plus system CPU time so far (stat fields 14 and 15).</summary>
    public static TimeSpan CpuTime(int pid) => StatTime(pid, 11);

    /// <summary>
    /// User plus system CPU time of the children that have ended and been waited for (stat fields
    /// 16 and 17), each child's whole life.
    /// </summary>
    public static TimeSpan ChildrenCpuTime(int pid) => StatTime(pid, 13);

    private static TimeSpan StatTime(int pid, int userField)
    {
        var fields = StatFields(pid);
        return fields.Length > userField + 1
            ? TimeSpan.FromSeconds((long.Parse(fields[userField], CultureInfo.InvariantCulture) + long.Parse(fields[userField + 1], CultureInfo.InvariantCulture)) / TicksPerSecond)
            : TimeSpan.Zero;
    }

    /// <summary>/proc/pid/stat from field 3 on: the command before it is parenthesised and may hold spaces.</summary>
    private static string[] StatFields(int pid)
    {
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

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
