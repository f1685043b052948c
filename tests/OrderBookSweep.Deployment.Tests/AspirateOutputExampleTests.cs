using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// deploy/aspirate-output-example/ was written by hand from aspirate's templates; these checks keep
/// it the output of THIS manifest (same resources, env split into ConfigMap and Secret, ports,
/// command lines), so the overlay is rendered against what aspirate would really produce.
/// </summary>
[Collection(ManifestCollection.Name)]
public sealed class AspirateOutputExampleTests(ManifestFixture fixture)
{
    private AspireManifest Manifest => fixture.Manifest;

    [Fact]
    public void Example_has_a_folder_for_each_deployable_resource()
    {
        var deployable = Manifest.All.Where(r => Aspirate.DeployableResourceTypes.Contains(AspireManifest.TypeOf(r.Resource))).Select(r => r.Name).Order();
        var folders = Directory.EnumerateDirectories(DeployOverlay.ExampleDirectory).Select(Path.GetFileName).Order();
        Assert.Equal(deployable, folders);
    }

    [KubectlFact]
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

    [KubectlFact]
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
                Assert.Equal((string)image!, (string?)container["image"]);
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
    /// aspirate names a project's image <c>{registry}/{ContainerRepository, else the resource name}:{ContainerImageTag, else --container-image-tag}</c>
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
                expected = $"{registry}/{repository}:{tag}";
            }
            else if (resource["build"] is not null)
            {
                expected = $"{DeployScript.ExampleRegistry}/{name}:{DeployScript.ExampleTag}";
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
