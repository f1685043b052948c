using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>What one run of deploy/deploy.sh did: its exit, its output, every tool call, and what it applied.</summary>
public sealed record DeployRun(CommandResult Result, IReadOnlyList<string> Calls, IReadOnlyList<JsonObject> Applied, IReadOnlyList<string> LeftOnDisk)
{
    public IEnumerable<string> CallsOf(string tool) => Calls.Where(call => call.StartsWith(tool + " ", StringComparison.Ordinal));
}

/// <summary>
/// Runs deploy/deploy.sh as an operator does, with the stand-ins in StandIns/ first on PATH for the
/// tools that cannot run here (aspirate, docker, the registry push, the cluster). The real dotnet
/// writes the manifest and the real kubectl renders deploy/; the stand-in aspirate writes
/// deploy/aspirate-output-example/, which the tests keep equal to aspirate's output for the manifest.
/// </summary>
internal static class DeployScript
{
    /// <summary>What deploy/aspirate-output-example/ was generated with (its README).</summary>
    public const string ExampleRegistry = "registry.example.com";

    public const string ExampleTag = "3f9c2e1a7b4d-20261201T221500Z";

    public const string Context = "test-context";

    /// <summary>Placeholder secrets, in the shape deploy.sh demands.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlaceholderSecrets = new Dictionary<string, string>
    {
        ["REDIS_PASSWORD"] = "placeholder-redis-password-0123456789",
        ["SCHEDULER_API_KEY"] = "placeholder-api-key-0123456789abcdef",
    };

    // The script writes into the repository's AppHost folder, as it does for an operator: one run at a time.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    private static readonly Lazy<Task<DeployRun>> Deployment = new(() => RunAsync(
        ["--context", Context, "--registry", ExampleRegistry, "--tag", ExampleTag, "--yes"]));

    /// <summary>One full run (build, render, apply, rollout) with the placeholder secrets, shared by the tests that read its result.</summary>
    public static async Task<DeployRun> DeployedAsync()
    {
        var run = await Deployment.Value;
        Assert.True(run.Result.ExitCode == 0, "deploy.sh failed: " + run.Result.Describe());
        return run;
    }

    public static async Task<DeployRun> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? secrets = null, IReadOnlyDictionary<string, string>? standIns = null)
    {
        var log = Directory.CreateTempSubdirectory("orderbooksweep-deploy-log-").FullName;
        var environment = new Dictionary<string, string>(secrets ?? PlaceholderSecrets)
        {
            ["PATH"] = Repository.PathOf("tests", "OrderBookSweep.Deployment.Tests", "StandIns") + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["STAND_IN_LOG"] = log,
            ["STAND_IN_EXAMPLE"] = DeployOverlay.ExampleDirectory,
            ["STAND_IN_REAL_DOTNET"] = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalCommand.FindOnPath("dotnet") ?? "dotnet",
            ["STAND_IN_REAL_KUBECTL"] = ExternalCommand.FindOnPath("kubectl") ?? throw new InvalidOperationException("kubectl is not on PATH."),
        };
        foreach (var (name, value) in standIns ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        await OneAtATime.WaitAsync();
        try
        {
            var result = await ExternalCommand.RunAsync(
                Repository.PathOf("deploy", "deploy.sh"), arguments, Repository.Root, TimeSpan.FromMinutes(5), environment);
            var calls = ReadLines(Path.Combine(log, "calls"));
            var appliedFile = Path.Combine(log, "applied.yaml");
            var applied = File.Exists(appliedFile) ? Yaml.ParseDocuments(await File.ReadAllTextAsync(appliedFile)) : [];
            return new DeployRun(result, calls, applied, SecretBearingFiles());
        }
        finally
        {
            OneAtATime.Release();
            Directory.Delete(log, recursive: true);
        }
    }

    /// <summary>The files deploy.sh writes secrets (or their checksums) into, where any is left.</summary>
    private static List<string> SecretBearingFiles()
    {
        var apphost = Repository.PathOf("OrderBookSweep.AppHost");
        var output = Path.Combine(apphost, "aspirate-output");
        return
        [
            .. Directory.Exists(output) ? Directory.EnumerateFiles(output, ".*.secrets", SearchOption.AllDirectories) : [],
            .. new[] { Path.Combine(apphost, "aspirate-state.json"), Repository.PathOf("deploy", "secret-checksums") }
                .Where(path => File.Exists(path) || Directory.Exists(path)),
        ];
    }

    private static string[] ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}
