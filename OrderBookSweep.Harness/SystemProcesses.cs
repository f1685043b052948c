using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace OrderBookSweep.Harness;

/// <summary>
/// The system's processes as Aspire runs them: each resource replica's id and process id (from
/// the resource notifications), kill -9, start and restart through the resource commands, and a
/// worker's ccxt engine (its <c>node</c> child, found in /proc).
/// </summary>
public sealed class SystemProcesses : IAsyncDisposable
{
    /// <summary>How long a killed replica may take to be reported as stopped.</summary>
    private static readonly TimeSpan StateTimeout = TimeSpan.FromMinutes(1);

    private readonly DistributedApplication _app;
    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    public SystemProcesses(DistributedApplication app)
    {
        _app = app;
        _watch = WatchAsync(_stop.Token);
    }

    /// <summary>Replicas of a resource (by its name, e.g. "worker") that have a live process.</summary>
    public IReadOnlyList<ResourceProcess> Running(string resourceName) =>
        [.. _latest.Values
            .Where(e => e.Resource.Name == resourceName && e.Snapshot.State?.Text == KnownResourceStates.Running)
            // The AppHost starts each service itself, not through `dotnet run` (ServiceExecutables):
            // the pid the resource reports is the service's own.
            .Select(e => new ResourceProcess(e.ResourceId, Pid(e.Snapshot)))
            .Where(p => p.Pid is not null && IsAlive(p.Pid.Value))];

    public IReadOnlyList<string> ReplicaIds(string resourceName) =>
        [.. _latest.Values.Where(e => e.Resource.Name == resourceName).Select(e => e.ResourceId).Order()];

    /// <summary>SIGKILL: no shutdown hook runs, exactly like an evicted pod or an OOM kill.</summary>
    public static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: false);
    }

    /// <summary>The ccxt engine of a worker: its <c>node</c> child process.</summary>
    public static int? EngineOf(int workerPid) => ChildOf(workerPid, comm => comm == "node");

    private static int? ChildOf(int parentPid, Func<string, bool> comm)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } stat && stat.Ppid == parentPid && comm(stat.Comm))
            {
                return pid;
            }
        }
        return null;
    }

    /// <summary>/proc/{pid}/stat is "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.</summary>
    private static (string Comm, int Ppid)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return (stat[(stat.IndexOf('(') + 1)..close], int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            // The process ended while we looked.
            return null;
        }
    }

    private static bool IsAlive(int pid) => Stat(pid) is not null;

    /// <summary>Starts a replica that has exited (after a kill); Aspire does not restart it on its own.</summary>
    public async Task StartAsync(string resourceId, CancellationToken cancellationToken)
    {
        await WaitForStateAsync(resourceId, s => s != KnownResourceStates.Running && s != KnownResourceStates.Starting, cancellationToken);
        await ExecuteAsync(resourceId, KnownResourceCommands.StartCommand, cancellationToken);
    }

    public Task RestartAsync(string resourceId, CancellationToken cancellationToken) =>
        ExecuteAsync(resourceId, KnownResourceCommands.RestartCommand, cancellationToken);

    private async Task ExecuteAsync(string resourceId, string command, CancellationToken cancellationToken)
    {
        var result = await _app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resourceId, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} on {resourceId} failed: {result.Message}");
        }
    }

    private Task WaitForStateAsync(string resourceId, Func<string?, bool> accept, CancellationToken cancellationToken) =>
        Eventually.UntilAsync(
            () => _latest.TryGetValue(resourceId, out var e) && accept(e.Snapshot.State?.Text),
            $"{resourceId} to stop",
            StateTimeout,
            cancellationToken);

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in _app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                _latest[e.ResourceId] = e;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name is "executable.pid" or "project.pid")?.Value is { } value
            && int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch;
        _stop.Dispose();
    }
}

/// <summary>One replica: Aspire's resource id (for commands) and the service's own process id.</summary>
public sealed record ResourceProcess(string ResourceId, int? Pid);
