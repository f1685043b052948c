using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The worker image cannot be built here (no container engine), so this runs the Dockerfile's own
/// `dotnet publish` line into a temporary folder and starts that output the way the image's
/// entrypoint does, outside a container: it must become alive and healthy, which needs the
/// published ccxt engine (Node + the pinned ccxt) to load.
/// </summary>
public sealed partial class PublishedWorkerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Published_worker_carries_a_working_ccxt_engine_and_becomes_healthy()
    {
        var publishDirectory = Directory.CreateTempSubdirectory("orderbooksweep-worker-publish-").FullName;
        try
        {
            var watch = Stopwatch.StartNew();
            var publish = await ExternalCommand.RunAsync("dotnet", [.. DockerfilePublishArguments(), publishDirectory], Repository.Root, TimeSpan.FromMinutes(5));
            Assert.True(publish.ExitCode == 0, "dotnet publish failed: " + publish.Describe());
            output.WriteLine($"dotnet publish: {watch.Elapsed.TotalSeconds:F1} s");

            var ccxtPackage = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(publishDirectory, "ccxt-engine", "node_modules", "ccxt", "package.json")))!;
            Assert.Equal(PinnedCcxtVersion(), (string?)ccxtPackage["version"]);

            using var redis = EmbeddedGarnetServer.Start(password: "deployment-test");
            await RunUntilHealthyAsync(publishDirectory, redis.ConnectionString);
        }
        finally
        {
            Directory.Delete(publishDirectory, recursive: true);
        }
    }

    /// <summary>The arguments of the Dockerfile's <c>RUN dotnet publish ... -o /app</c>, up to the output folder.</summary>
    private static string[] DockerfilePublishArguments()
    {
        var dockerfile = File.ReadAllText(Repository.PathOf("OrderBookSweep.Worker", "Dockerfile"));
        var match = PublishLine().Match(dockerfile);
        Assert.True(match.Success, "The worker's Dockerfile has no `RUN dotnet publish ... -o /app` line.");
        return [.. match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-o"];
    }

    private static string PinnedCcxtVersion()
    {
        var package = JsonNode.Parse(File.ReadAllText(Repository.PathOf("OrderBookSweep.Worker", "ccxt-engine", "package.json")))!;
        return (string)package["dependencies"]!["ccxt"]!;
    }

    private async Task RunUntilHealthyAsync(string publishDirectory, string redisConnectionString)
    {
        var port = FreeTcpPort();
        var startInfo = new ProcessStartInfo("dotnet", [Path.Combine(publishDirectory, "OrderBookSweep.Worker.dll")])
        {
            WorkingDirectory = publishDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["ConnectionStrings__redis"] = redisConnectionString;
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");

        var log = new StringBuilder();
        using var worker = Process.Start(startInfo)!;
        worker.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        worker.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var alive = await WaitForOkAsync(http, "/alive", worker, log, TimeSpan.FromSeconds(60));
            var healthy = await WaitForOkAsync(http, "/health", worker, log, TimeSpan.FromSeconds(60));
            // 200 also covers Degraded: require every check (Redis, the ccxt engine's ping) to pass.
            Assert.Equal("Healthy", await http.GetStringAsync("/health"));
            output.WriteLine($"published worker: /alive after {alive.TotalSeconds:F1} s, /health after {healthy.TotalSeconds:F1} s");
            output.WriteLine($"resident memory, worker + children: {ResidentMegabytes(worker.Id):F0} MB");
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }

    private static async Task<TimeSpan> WaitForOkAsync(HttpClient http, string path, Process worker, StringBuilder log, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var last = "no answer";
        while (watch.Elapsed < timeout)
        {
            if (worker.HasExited)
            {
                throw new Xunit.Sdk.XunitException($"The published worker exited with {worker.ExitCode}:\n{log}");
            }
            try
            {
                using var response = await http.GetAsync(path);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return watch.Elapsed;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"{path} did not answer 200 within {timeout} (last: {last}):\n{log}");
    }

    /// <summary>VmRSS of a process and its descendants (Linux /proc; 0 elsewhere): sizes the memory requests in deploy/.</summary>
    private static double ResidentMegabytes(int pid)
    {
        if (!File.Exists($"/proc/{pid}/status"))
        {
            return 0;
        }
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        var children = Directory.EnumerateDirectories($"/proc/{pid}/task")
            .SelectMany(thread => File.ReadAllText(Path.Combine(thread, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(id => int.Parse(id, CultureInfo.InvariantCulture));
        return kilobytes / 1024 + children.Sum(ResidentMegabytes);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^RUN dotnet (publish .+) -o /app\s*$", RegexOptions.Multiline)]
    private static partial Regex PublishLine();
}
