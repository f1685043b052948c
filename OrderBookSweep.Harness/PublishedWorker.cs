using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace OrderBookSweep.Harness;

/// <summary>
/// The worker as its image carries it: the Dockerfile's own <c>RUN dotnet publish ... -o /app</c>
/// line (the worker compiled ahead of time) run into a folder, and the executable its
/// <c>ENTRYPOINT</c> starts. Given to <see cref="SweepSystem"/>, the AppHost's replicas run it
/// instead of the JIT-compiled build.
/// </summary>
public static partial class PublishedWorker
{
    /// <summary>The checkout this code was built in: the nearest folder up with OrderBookSweep.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Dockerfile => Path.Combine(RepositoryRoot, "OrderBookSweep.Worker", "Dockerfile");

    /// <summary>The arguments of the Dockerfile's <c>RUN dotnet publish ... -o /app</c>, up to the output folder.</summary>
    public static string[] PublishArguments()
    {
        var match = PublishLine().Match(File.ReadAllText(Dockerfile));
        return match.Success
            ? [.. match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-o"]
            : throw new InvalidOperationException($"{Dockerfile} has no `RUN dotnet publish ... -o /app` line.");
    }

    /// <summary>The file the Dockerfile's <c>ENTRYPOINT ["./name"]</c> starts, relative to the published folder.</summary>
    public static string Entrypoint()
    {
        var match = EntrypointLine().Match(File.ReadAllText(Dockerfile));
        return match.Success
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"{Dockerfile} has no `ENTRYPOINT [\"./executable\"]` line.");
    }

    /// <summary>
    /// Publishes into <paramref name="directory"/> and returns the entrypoint's full path. A first
    /// publish compiles natively (about a minute and a half on 2 cores); later ones reuse it.
    /// </summary>
    public static async Task<string> PublishAsync(string directory, TextWriter? log = null)
    {
        var watch = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in PublishArguments().Append(directory))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{output}");
        }

        var entrypoint = Path.Combine(directory, Entrypoint());
        if (!File.Exists(entrypoint))
        {
            throw new InvalidOperationException($"The Dockerfile's entrypoint {entrypoint} is not in the published output.");
        }

        log?.WriteLine($"worker published ahead of time in {watch.Elapsed.TotalSeconds:F0} s: {entrypoint}");
        return entrypoint;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrderBookSweep.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No OrderBookSweep.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^RUN dotnet (publish .+) -o /app\s*$", RegexOptions.Multiline)]
    private static partial Regex PublishLine();

    [GeneratedRegex(@"^ENTRYPOINT \[""\./([^""/]+)""\]\s*$", RegexOptions.Multiline)]
    private static partial Regex EntrypointLine();
}
