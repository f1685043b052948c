using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// deploy/aspirate-output-example/ is the real aspirate's output for this AppHost
/// (deploy/update-aspirate-output-example.sh). These checks keep it so, and check what aspirate
/// writes in a deploy against this project's model of aspirate (<see cref="Aspirate"/>), which the
/// manifest tests rely on: same resources, env split into ConfigMap and Secret, ports, command lines.
/// </summary>
[Collection(ManifestCollection.Name)]
public sealed class AspirateOutputExampleTests(ManifestFixture fixture)
{
    private AspireManifest Manifest => fixture.Manifest;

    /// <summary>The example is what aspirate writes today, byte for byte but for the image tag.</summary>
    [DeployToolsFact]
    public async Task Example_is_what_aspirate_writes_for_the_AppHost_but_for_the_tag()
    {
        const string tag = "Drift-Check-7";
        var output = Directory.CreateTempSubdirectory("orderbooksweep-aspirate-output-").FullName;
        try
        {
            var run = await DeployScript.RunScriptAsync("aspirate-generate.sh", [DeployScript.ExampleRegistry, tag, output], new Dictionary<string, string>());
            Assert.True(run.Result.ExitCode == 0, "deploy/aspirate-generate.sh failed: " + run.Result.Describe());
            Assert.Empty(run.LeftOnDisk);

            var written = Files(output);
            var example = Files(DeployOverlay.ExampleDirectory);
            example.Remove("README.md");
            Assert.Equal(example.Keys.Order(), written.Keys.Order());
            foreach (var (file, text) in written)
            {
                // aspirate lower-cases the tag it writes.
                var expected = example[file].Replace(DeployScript.ExampleTag.ToLowerInvariant(), tag.ToLowerInvariant(), StringComparison.Ordinal);
                Assert.True(expected == text, $"{file} differs from aspirate's output: run deploy/update-aspirate-output-example.sh\n--- aspirate ---\n{text}\n--- example ---\n{example[file]}");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static Dictionary<string, string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(file => Path.GetRelativePath(directory, file), File.ReadAllText);

    [Fact]
    public void Example_has_a_folder_for_each_deployable_resource()
    {
        var deployable = Manifest.All.Where(r => Aspirate.DeployableResourceTypes.Contains(AspireManifest.TypeOf(r.Resource))).Select(r => r.Name).Order();
        var folders = Directory.EnumerateDirectories(DeployOverlay.ExampleDirectory).Select(Path.GetFileName).Order();
        Assert.Equal(deployable, folders);
    }

    [DeployToolsFact]
    public async Task Example_splits_each_resources_env_as_aspirate_does()
    {
        var rendered = (await DeployScript.DeployedAsync()).Applied;
        foreach (var (name, resource) in Manifest.All.Where(r => Aspirate.DeployableResourceTypes.Contains(AspireManifest.TypeOf(r.Resource))))
        {
            // aspirate drops empty values, and adds the dashboard's OTLP settings (--include-dashboard);
            // deploy/ merges its own settings into some ConfigMaps.
            var env = AspireManifest.EnvOf(resource).Where(e => e.Value.Length > 0).ToList();
            var expectedPlain = env.Select(e => e.Name).Where(n => !Aspirate.IsSecretEnvName(n))
                .Concat(Aspirate.DashboardEnvNames)
                .Concat(OverlayConfigMapKeys($"{name}-env"))
                .ToHashSet();
            if (AspireManifest.TypeOf(resource).StartsWith("project.", StringComparison.Ordinal))
            {
                expectedPlain.Add(Aspirate.ProjectUrlsEnvName);
            }
            var expectedSecret = env.Select(e => e.Name).Where(Aspirate.IsSecretEnvName).ToHashSet();

            var plain = rendered.Find("ConfigMap", $"{name}-env")["data"]!.AsObject().Select(p => p.Key).ToHashSet();
            var secret = rendered.Find("Secret", $"{name}-secrets")["data"]!.AsObject().Select(p => p.Key).ToHashSet();
            Assert.True(expectedPlain.SetEquals(plain), $"{name}-env: expected {string.Join(", ", expectedPlain.Order())}; example has {string.Join(", ", plain.Order())}");
            Assert.True(expectedSecret.SetEquals(secret), $"{name}-secrets: expected {string.Join(", ", expectedSecret.Order())}; example has {string.Join(", ", secret.Order())}");
        }
    }

    [DeployToolsFact]
    public async Task Example_ports_and_command_lines_are_the_manifests()
    {
        var rendered = (await DeployScript.DeployedAsync()).Applied;
        foreach (var (name, resource) in Manifest.All.Where(r => Aspirate.DeployableResourceTypes.Contains(AspireManifest.TypeOf(r.Resource))))
        {
            // aspirate gives http bindings without a target port 8080.
            var expectedPorts = resource["bindings"]!.AsObject()
                .Select(b => b.Value!["targetPort"]?.ToString() ?? (b.Key == "http" ? "8080" : "?"))
                .Order();
            var service = rendered.Find("Service", name);
            Assert.Equal(expectedPorts, service["spec"]!["ports"]!.AsArray().Select(p => (string)p!["targetPort"]!).Order());

            var workload = rendered.SingleOrDefault(o => (string?)o["kind"] is "Deployment" or "StatefulSet" && (string?)o["metadata"]!["name"] == name)
                ?? throw new Xunit.Sdk.XunitException($"No workload for {name}");
            Assert.Equal(resource["volumes"] is JsonArray { Count: > 0 } ? "StatefulSet" : "Deployment", (string?)workload["kind"]);
            var container = DeployOverlay.OnlyContainer(workload);
            if (resource["image"] is { } image)
            {
                // The same image; deploy/ pins its tag (PinnedImageTests).
                Assert.Equal(PinnedImageTests.Repository((string)image!), PinnedImageTests.Repository((string)container["image"]!));
            }
            if (resource["args"] is JsonArray args)
            {
                Assert.Equal(args.Select(a => (string)a!), container["args"]!.AsArray().Select(a => (string)a!));
                Assert.Equal((string?)resource["entrypoint"], (string?)container["command"]!.AsArray().Single());
            }
        }
    }

    [Fact]
    public void Example_has_no_secret_files_as_aspirate_generate_writes_none()
    {
        Assert.Empty(Directory.EnumerateFiles(DeployOverlay.ExampleDirectory, ".*.secrets", SearchOption.AllDirectories));
    }

    /// <summary>
    /// aspirate names a project's image <c>{registry}/{ContainerRepository, else the resource name}:{ContainerImageTag, else --container-image-tag}</c>, lower-cased,
    /// from the project's MSBuild properties (ContainerDetailsService), an image it builds from a
    /// Dockerfile <c>{registry}/{resource}:{tag}</c>, and takes a container's image as written.
    /// </summary>
    [Fact]
    public async Task Example_images_are_named_as_aspirate_names_them()
    {
        foreach (var (name, resource) in Manifest.All.Where(r => Aspirate.DeployableResourceTypes.Contains(AspireManifest.TypeOf(r.Resource))))
        {
            string expected;
            if (AspireManifest.TypeOf(resource).StartsWith("project.", StringComparison.Ordinal))
            {
                var properties = await ProjectContainerPropertiesAsync(Path.GetFullPath(Path.Combine(fixture.ManifestDirectory, (string)resource["path"]!)));
                Assert.True(string.IsNullOrEmpty(properties["ContainerImageName"]), $"{name}: ContainerImageName is deprecated and changes aspirate's naming");
                var registry = NonEmpty(properties["ContainerRegistry"]) ?? DeployScript.ExampleRegistry;
                var repository = NonEmpty(properties["ContainerRepository"]) ?? name;
                var tag = NonEmpty(properties["ContainerImageTag"])?.Split(';')[0] ?? DeployScript.ExampleTag;
                expected = $"{registry}/{repository}:{tag}".ToLowerInvariant();
            }
            else if (resource["build"] is not null)
            {
                expected = $"{DeployScript.ExampleRegistry}/{name}:{DeployScript.ExampleTag}".ToLowerInvariant();
            }
            else
            {
                expected = (string)resource["image"]!;
            }
            var workload = Yaml.ParseFile(Directory.EnumerateFiles(Path.Combine(DeployOverlay.ExampleDirectory, name), "*.yaml")
                .Single(file => Path.GetFileName(file) is "deployment.yaml" or "statefulset.yaml"));
            Assert.Equal(expected, (string?)DeployOverlay.OnlyContainer(workload)["image"]);
        }
    }

    private static IEnumerable<string> OverlayConfigMapKeys(string configMap) =>
        (DeployOverlay.Kustomization["configMapGenerator"]?.AsArray() ?? [])
            .Where(generator => (string?)generator!["name"] == configMap)
            .SelectMany(generator => generator!["literals"]!.AsArray())
            .Select(literal => ((string)literal!).Split('=')[0]);

    /// <summary>The properties aspirate reads, the way it reads them: <c>dotnet msbuild PROJECT -getProperty:...</c>.</summary>
    private static async Task<Dictionary<string, string>> ProjectContainerPropertiesAsync(string project)
    {
        string[] names = ["ContainerRegistry", "ContainerRepository", "ContainerImageName", "ContainerImageTag"];
        var result = await ExternalCommand.RunAsync("dotnet", ["msbuild", project, .. names.Select(n => "-getProperty:" + n)], Repository.Root, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, "dotnet msbuild -getProperty failed: " + result.Describe());
        var properties = JsonNode.Parse(result.StandardOutput)!["Properties"]!.AsObject();
        return names.ToDictionary(n => n, n => (string?)properties[n] ?? "");
    }

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;
}
