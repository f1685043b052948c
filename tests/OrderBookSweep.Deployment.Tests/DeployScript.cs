using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// What one run of deploy/deploy.sh did: its exit, its output, every call of a stood-in tool, what it
/// applied, the files in its temporary folder when kubectl applied and when it waited for the first
/// rollout, and what it left on disk.
/// </summary>
public sealed record DeployRun(
    CommandResult Result,
    IReadOnlyList<string> Calls,
    IReadOnlyList<JsonObject> Applied,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> TemporaryFilesAt,
    IReadOnlyList<string> LeftOnDisk)
{
    public IEnumerable<string> CallsOf(string tool) => Calls.Where(call => call.StartsWith(tool + " ", StringComparison.Ordinal));

    /// <summary>The tag deploy.sh says it builds and deploys.</summary>
    public string Tag => DeployScript.PrintedTag().Match(Result.StandardError) is { Success: true } match
        ? match.Groups[1].Value
        : throw new Xunit.Sdk.XunitException("deploy.sh printed no image tag: " + Result.Describe());
}

/// <summary>
/// Runs deploy/deploy.sh (or another script in deploy/) as an operator does, with the real aspirate
/// (<see cref="AspirateTool"/>), the real dotnet and the real <c>kubectl kustomize</c>, and with the
/// stand-ins in StandIns/ first on PATH only for what cannot run here: docker, the registry push,
/// and kubectl's calls to a cluster.
/// </summary>
internal static partial class DeployScript
{
    /// <summary>What deploy/aspirate-output-example/ was generated with (deploy/update-aspirate-output-example.sh).</summary>
    public const string ExampleRegistry = "registry.example.com";

    public const string ExampleTag = "3f9c2e1a7b4d-20261201T221500Z";

    public const string Context = "test-context";

    /// <summary>Placeholder secrets, in the shape deploy.sh demands.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlaceholderSecrets = new Dictionary<string, string>
    {
        ["REDIS_PASSWORD"] = "placeholder-redis-password-0123456789",
        ["SCHEDULER_API_KEY"] = "placeholder-api-key-0123456789abcdef",
    };

    // The script runs the AppHost, whose build output is shared: one run at a time.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>One full run with the default tag (build, render, apply, rollout), shared by the tests that read its result.</summary>
    private static readonly Lazy<Task<DeployRun>> Deployment = new(() => RunAsync(
        ["--context", Context, "--registry", ExampleRegistry, "--yes"]));

    public static async Task<DeployRun> DeployedAsync() => Succeeded(await Deployment.Value);

    public static DeployRun Succeeded(DeployRun run)
    {
        Assert.True(run.Result.ExitCode == 0, "deploy.sh failed: " + run.Result.Describe());
        return run;
    }

    public static Task<DeployRun> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? secrets = null, IReadOnlyDictionary<string, string>? standIns = null) =>
        RunScriptAsync("deploy.sh", arguments, secrets ?? PlaceholderSecrets, standIns);

    public static async Task<DeployRun> RunScriptAsync(
        string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> secrets, IReadOnlyDictionary<string, string>? standIns = null)
    {
        // Siblings: the stand-in kubectl copies the script's temporary folder into the log.
        var scratch = Directory.CreateTempSubdirectory("orderbooksweep-deploy-").FullName;
        var log = Directory.CreateDirectory(Path.Combine(scratch, "log")).FullName;
        var temporary = Directory.CreateDirectory(Path.Combine(scratch, "tmp")).FullName;
        var environment = new Dictionary<string, string>(secrets)
        {
            ["PATH"] = Repository.PathOf("tests", "OrderBookSweep.Deployment.Tests", "StandIns") + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["TMPDIR"] = temporary,
            ["ASPIRATE"] = AspirateTool.Path,
            ["STAND_IN_LOG"] = log,
            ["STAND_IN_REAL_DOTNET"] = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalCommand.FindOnPath("dotnet") ?? "dotnet",
            ["STAND_IN_REAL_KUBECTL"] = ExternalCommand.FindOnPath("kubectl") ?? "kubectl",
        };
        // Where aspirate is missing, deploy.sh says so itself (and DeployToolsFact skips, outside CI).
        if (AspirateTool.IsPresent)
        {
            foreach (var (name, value) in AspirateTool.Environment(await AspirateTool.HomeAsync()))
            {
                environment[name] = value;
            }
        }
        foreach (var (name, value) in standIns ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        await OneAtATime.WaitAsync();
        try
        {
            var result = await ExternalCommand.RunAsync(
                Repository.PathOf("deploy", script), arguments, Repository.Root, TimeSpan.FromMinutes(5), environment);
            var calls = ReadLines(Path.Combine(log, "calls"));
            var appliedFile = Path.Combine(log, "applied.yaml");
            var applied = File.Exists(appliedFile) ? Yaml.ParseDocuments(await File.ReadAllTextAsync(appliedFile)) : [];
            var snapshots = new[] { "apply", "rollout" }.ToDictionary(step => step, step => FilesUnder(Path.Combine(log, "tmp-at-" + step)));
            // dotnet keeps caches of its own in TMPDIR: what counts is whether any file there holds a secret.
            var leftInTemporary = FilesWithASecret(FilesUnder(temporary), secrets.Values).Select(file => Path.Combine(temporary, file));
            return new DeployRun(result, calls, applied, snapshots, [.. leftInTemporary, .. SecretBearingFilesInRepository()]);
        }
        finally
        {
            OneAtATime.Release();
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>What aspirate writes beside the sources when run there: its state file (plain parameters), secret files, its settings folder.</summary>
    private static IEnumerable<string> SecretBearingFilesInRepository()
    {
        string[] folders = [Repository.Root, Repository.PathOf("OrderBookSweep.AppHost"), Repository.PathOf("deploy")];
        return folders
            .SelectMany(folder => new[] { Path.Combine(folder, "aspirate-state.json"), Path.Combine(folder, "Aspirate"), Path.Combine(folder, "aspirate-output") })
            .Where(path => File.Exists(path) || Directory.Exists(path))
            .Concat(Directory.EnumerateFiles(DeployOverlay.Directory, ".*.secrets", SearchOption.AllDirectories));
    }

    /// <summary>The files (of those given, by name) that hold one of the secrets, plainly or base64-encoded as in a Secret.</summary>
    public static IEnumerable<string> FilesWithASecret(IReadOnlyDictionary<string, string> files, IEnumerable<string> secrets) =>
        files.Where(file => secrets.Any(secret =>
                file.Value.Contains(secret, StringComparison.Ordinal)
                || file.Value.Contains(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret))[..16], StringComparison.Ordinal)))
            .Select(file => file.Key);

    private static IReadOnlyDictionary<string, string> FilesUnder(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllText)
            : new Dictionary<string, string>();

    private static string[] ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];

    [GeneratedRegex(@"^== Image tag: (\S+)$", RegexOptions.Multiline)]
    internal static partial Regex PrintedTag();
}
