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

    public async Task InitializeAsync()
    {
        var manifestPath = Path.Combine(_directory, "manifest.json");
        Generation = await ExternalCommand.RunAsync(
            "dotnet",
            ["run", "--project", Repository.PathOf("OrderBookSweep.AppHost"), "--no-build", "--", "--publisher", "manifest", "--output-path", manifestPath],
            Repository.Root,
            TimeSpan.FromMinutes(2));
        if (Generation.ExitCode != 0 || !File.Exists(manifestPath))
        {
            throw new InvalidOperationException("The AppHost did not write a manifest: " + Generation.Describe());
        }
        var document = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        Manifest = new AspireManifest((JsonObject)document["resources"]!);
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
