using System.Text;
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
        var rendered = await DeployOverlay.RenderAgainstExampleAsync();
        foreach (var (name, resource) in Manifest.All.Where(r => Aspirate.DeployableResourceTypes.Contains(AspireManifest.TypeOf(r.Resource))))
        {
            // aspirate drops empty values, and adds the dashboard's OTLP settings (--include-dashboard).
            var env = AspireManifest.EnvOf(resource).Where(e => e.Value.Length > 0).ToList();
            var expectedPlain = env.Select(e => e.Name).Where(n => !Aspirate.IsSecretEnvName(n)).Concat(Aspirate.DashboardEnvNames).ToHashSet();
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
        var rendered = await DeployOverlay.RenderAgainstExampleAsync();
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
            var container = OverlayTests.OnlyContainer(workload);
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
    public void Example_secret_files_hold_placeholders_only()
    {
        foreach (var file in Directory.EnumerateFiles(DeployOverlay.ExampleDirectory, ".*.secrets", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadAllLines(file, Encoding.UTF8))
            {
                Assert.Contains("example-placeholder-not-a-secret", line, StringComparison.Ordinal);
            }
        }
    }
}
