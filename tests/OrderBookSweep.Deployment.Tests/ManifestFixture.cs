using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// Generates the manifest once for the manifest tests, the way aspirate does
/// (<c>dotnet run --project AppHost -- --publisher manifest --output-path ...</c>, default launch
/// profile), into a temporary absolute path. Never <c>--operation publish</c>: it builds and pushes images.
/// </summary>
public sealed class ManifestFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orderbooksweep-manifest-").FullName;

    public AspireManifest Manifest { get; private set; } = null!;

    public CommandResult Generation { get; private set; } = null!;

    /// <summary>The manifest's own folder: relative paths in it (build context, Dockerfile) resolve from here.</summary>
    public string ManifestDirectory => _directory;

    public async Task InitializeAsync() => (Generation, Manifest) = await GenerateAsync(_directory, []);

    /// <summary>
    /// Runs the AppHost in publish mode with <paramref name="settings"/> (<c>--Key=value</c>) after
    /// the publisher's arguments and <paramref name="environment"/> added to its environment, and
    /// reads the manifest it writes into <paramref name="directory"/>.
    /// </summary>
    public static async Task<(CommandResult Generation, AspireManifest Manifest)> GenerateAsync(
        string directory, string[] settings, IReadOnlyDictionary<string, string>? environment = null)
    {
        var manifestPath = Path.Combine(directory, "manifest.json");
        var generation = await ExternalCommand.RunAsync(
            "dotnet",
            ["run", "--project", Repository.PathOf("OrderBookSweep.AppHost"), "--no-build", "--", "--publisher", "manifest", "--output-path", manifestPath, .. settings],
            Repository.Root,
            TimeSpan.FromMinutes(2),
            environment);
        if (generation.ExitCode != 0 || !File.Exists(manifestPath))
        {
            throw new InvalidOperationException("The AppHost did not write a manifest: " + generation.Describe());
        }
        var document = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        return (generation, new AspireManifest((JsonObject)document["resources"]!));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>One manifest generation shared by every test class that reads it.</summary>
[CollectionDefinition(Name)]
public sealed class ManifestCollection : ICollectionFixture<ManifestFixture>
{
    public const string Name = "manifest";
}
