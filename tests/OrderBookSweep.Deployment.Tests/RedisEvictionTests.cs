using System.Globalization;
using System.Text.RegularExpressions;
using OrderBookSweep.Harness;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The eviction policy deploy/ gives Redis, on a real redis-server filled past its cap (scaled down
/// to 8 MB): books, which carry a TTL, make room; coordination keys, which carry none, all stay;
/// and no write is refused.
/// </summary>
public sealed partial class RedisEvictionTests
{
    private const int CoordinationKeys = 2000;
    private const int Books = 40_000;

    [DeployToolsFact]
    public async Task Full_Redis_evicts_books_and_keeps_every_coordination_key()
    {
        Assert.True(ExternalCommand.IsOnPath("redis-server"), "redis-server is not installed (.ci/run installs it)");
        var settings = (string)(await DeployScript.DeployedAsync()).Applied.Find("ConfigMap", "redis-env")["data"]!["REDIS_MEMORY"]!;
        var policy = PolicyFlag().Match(settings).Groups[1].Value;

        await using var server = await RedisServer.StartAsync("--maxmemory", "8mb", "--maxmemory-policy", policy);
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        var directory = Directory.CreateTempSubdirectory("orderbooksweep-eviction-").FullName;
        try
        {
            var payload = new string('x', 300);
            var coordination = Path.Combine(directory, "coordination.txt");
            await File.WriteAllLinesAsync(coordination, Enumerable.Range(1, CoordinationKeys).Select(i => $"SET obs:jobs:lease-info:{i} {payload}"));
            var books = Path.Combine(directory, "books.txt");
            await File.WriteAllLinesAsync(books, Enumerable.Range(1, Books).Select(i => $"SET obs:book:exchange:SYM{i}/USDT {payload} EX 3600"));

            Assert.Equal(0, await PipeAsync(port, coordination));
            Assert.Equal(0, await PipeAsync(port, books)); // no write refused

            // Written first and never read: the keys an allkeys-lru policy would drop first.
            var kept = await CliAsync(port, "EVAL",
                "local n = 0 for i = 1, tonumber(ARGV[1]) do n = n + redis.call('EXISTS', 'obs:jobs:lease-info:' .. i) end return n",
                "0", CoordinationKeys.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(CoordinationKeys.ToString(CultureInfo.InvariantCulture), kept);
            var stats = await CliAsync(port, "INFO", "stats");
            var evicted = long.Parse(EvictedKeys().Match(stats).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(evicted > 0, "the server was never full: the test proves nothing");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Sends a file of inline commands through <c>redis-cli --pipe</c>; returns the number of error replies.</summary>
    private static async Task<int> PipeAsync(string port, string commands)
    {
        var result = await ExternalCommand.RunAsync("/bin/sh", ["-c", $"redis-cli -p {port} --pipe < '{commands}'"], Path.GetTempPath(), TimeSpan.FromMinutes(2));
        var summary = PipeSummary().Match(result.StandardOutput + result.StandardError);
        Assert.True(summary.Success, "redis-cli --pipe gave no summary: " + result.Describe());
        return int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<string> CliAsync(string port, params string[] command)
    {
        var result = await ExternalCommand.RunAsync("redis-cli", ["-p", port, .. command], Path.GetTempPath(), TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput.Trim();
    }

    [GeneratedRegex(@"--maxmemory-policy\s+(\S+)")]
    private static partial Regex PolicyFlag();

    [GeneratedRegex(@"evicted_keys:(\d+)")]
    private static partial Regex EvictedKeys();

    [GeneratedRegex(@"errors:\s*(\d+)")]
    private static partial Regex PipeSummary();
}
