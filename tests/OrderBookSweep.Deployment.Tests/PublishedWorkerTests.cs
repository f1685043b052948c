using System.Diagnostics;
using System.Text.Json.Nodes;
using OrderBookSweep.EmbeddedRedis;
using OrderBookSweep.Harness;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The worker image cannot be built here (no container engine), so this runs the Dockerfile's own
/// `dotnet publish` line into a temporary folder (the worker compiled ahead of time) and starts
/// the image's entrypoint from it, outside a container (<see cref="PublishedWorker"/>): it must
/// become alive and healthy, which needs the published ccxt engine (Node + the pinned ccxt) to
/// load and answer. The rehearsal's test runs the same executable through a whole sweep.
/// </summary>
public sealed class PublishedWorkerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Published_worker_carries_a_working_ccxt_engine_and_becomes_healthy()
    {
        var publishDirectory = Directory.CreateTempSubdirectory("orderbooksweep-worker-publish-").FullName;
        try
        {
            var watch = Stopwatch.StartNew();
            var entrypoint = await PublishedWorker.PublishAsync(publishDirectory);
            output.WriteLine($"dotnet publish: {watch.Elapsed.TotalSeconds:F1} s");
            Assert.False(
                File.Exists(Path.Combine(publishDirectory, "OrderBookSweep.Worker.dll")),
                "The worker was published as IL for the .NET runtime, not compiled ahead of time.");

            var ccxtPackage = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(publishDirectory, "ccxt-engine", "node_modules", "ccxt", "package.json")))!;
            Assert.Equal(PinnedCcxtVersion(), (string?)ccxtPackage["version"]);
            // The build compacts ccxt's sources (ccxt-engine/compact-ccxt.js) with esbuild, which stays behind.
            var engineModules = Path.Combine(publishDirectory, "ccxt-engine", "node_modules");
            Assert.False(Directory.Exists(Path.Combine(engineModules, "esbuild")), "esbuild, a build-time tool, was published with the engine.");
            var okx = await File.ReadAllTextAsync(Path.Combine(engineModules, "ccxt", "js", "src", "okx.js"));
            Assert.False(okx.Contains("/**", StringComparison.Ordinal) || okx.Contains("\n    ", StringComparison.Ordinal),
                "ccxt's sources were published with their comments and indentation (compact-ccxt.js did not run).");

            using var redis = EmbeddedGarnetServer.Start(password: "deployment-test");
            await using var worker = RunningService.Start(
                entrypoint,
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

    private static string PinnedCcxtVersion()
    {
        var package = JsonNode.Parse(File.ReadAllText(Repository.PathOf("OrderBookSweep.Worker", "ccxt-engine", "package.json")))!;
        return (string)package["dependencies"]!["ccxt"]!;
    }
}
