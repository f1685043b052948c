using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The worker image cannot be built here (no container engine), so this runs the Dockerfile's own
/// `dotnet publish` line into a temporary folder and starts that output the way the image's
/// entrypoint does, outside a container: it must become alive and healthy, which needs the
/// published ccxt engine (Node + the pinned ccxt) to load and answer.
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
            await using var worker = RunningService.Start(
                Path.Combine(publishDirectory, "OrderBookSweep.Worker.dll"),
                new Dictionary<string, string> { ["ConnectionStrings__redis"] = redis.ConnectionString });

            var alive = await worker.WaitForOkAsync("/alive", TimeSpan.FromSeconds(60));
            var healthy = await worker.WaitForOkAsync("/health", TimeSpan.FromSeconds(60));
            // 200 also covers Degraded: require every check (Redis, the ccxt engine's ping) to pass.
            Assert.Equal("Healthy", await worker.Http.GetStringAsync("/health"));
            output.WriteLine($"published worker: /alive after {alive.TotalSeconds:F1} s, then /health after {healthy.TotalSeconds:F1} s");
            output.WriteLine($"resident memory, worker + Node engine: {worker.ResidentMegabytes():F0} MB");
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

    [GeneratedRegex(@"^RUN dotnet (publish .+) -o /app\s*$", RegexOptions.Multiline)]
    private static partial Regex PublishLine();
}
