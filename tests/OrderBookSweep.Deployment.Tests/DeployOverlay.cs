using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The kustomize overlay in deploy/, rendered by <c>kubectl kustomize</c> with
/// deploy/aspirate-output-example/ in the place of aspirate's output (aspirate cannot run here).
/// </summary>
internal static class DeployOverlay
{
    public static string Directory => Repository.PathOf("deploy");

    public static string ExampleDirectory => Repository.PathOf("deploy", "aspirate-output-example");

    public static JsonObject Kustomization => Yaml.ParseFile(Path.Combine(Directory, "kustomization.yaml"));

    /// <summary>The overlay's single base: where it expects aspirate's output, relative to deploy/.</summary>
    public static string AspirateOutputPath => (string)Kustomization["resources"]!.AsArray().Single()!;

    /// <summary>Copies deploy/ and the example into a temporary tree shaped like the repository and renders it.</summary>
    public static async Task<IReadOnlyList<JsonObject>> RenderAgainstExampleAsync()
    {
        var root = System.IO.Directory.CreateTempSubdirectory("orderbooksweep-deploy-").FullName;
        try
        {
            var overlay = Path.Combine(root, "deploy");
            Copy(Directory, overlay, skip: ExampleDirectory);
            Copy(ExampleDirectory, Path.GetFullPath(Path.Combine(overlay, AspirateOutputPath)), skip: null);

            var result = await ExternalCommand.RunAsync("kubectl", ["kustomize", overlay], root, TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, "kubectl kustomize failed: " + result.Describe());
            return Yaml.ParseDocuments(result.StandardOutput);
        }
        finally
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
    }

    public static JsonObject Find(this IEnumerable<JsonObject> objects, string kind, string name) =>
        objects.SingleOrDefault(o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"The rendered overlay has no {kind} '{name}'.");

    private static void Copy(string from, string to, string? skip)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var directory in System.IO.Directory.EnumerateDirectories(from).Where(d => d != skip))
        {
            Copy(directory, Path.Combine(to, Path.GetFileName(directory)), skip);
        }
    }
}
