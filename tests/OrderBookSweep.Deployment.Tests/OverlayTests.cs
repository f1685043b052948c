using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>deploy/ adds what aspirate's output lacks: the worker replica count, resources and probes.</summary>
public sealed class OverlayTests
{
    [Fact]
    public void Overlay_sets_three_worker_replicas_on_top_of_aspirates_output()
    {
        Assert.Equal("../OrderBookSweep.AppHost/aspirate-output", DeployOverlay.AspirateOutputPath);
        var replicas = DeployOverlay.Kustomization["replicas"]!.AsArray();
        Assert.Contains(replicas, entry => (string?)entry!["name"] == "worker" && (string?)entry["count"] == "3");
    }

    [KubectlFact]
    public async Task Rendered_worker_runs_three_replicas_replaced_one_at_a_time()
    {
        var worker = (await DeployOverlay.RenderAgainstExampleAsync()).Find("Deployment", "worker");
        Assert.Equal("3", (string?)worker["spec"]!["replicas"]);
        Assert.Equal("RollingUpdate", (string?)worker["spec"]!["strategy"]!["type"]);
    }

    [KubectlFact]
    public async Task Rendered_services_have_probes_on_their_health_endpoints_and_resources()
    {
        var rendered = await DeployOverlay.RenderAgainstExampleAsync();
        foreach (var name in new[] { "worker", "scheduler" })
        {
            var container = OnlyContainer(rendered.Find("Deployment", name));
            Assert.Equal("/health", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
            Assert.Equal("/alive", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
            // The probes name the port; it must be one the container declares.
            var port = (string?)container["readinessProbe"]!["httpGet"]!["port"];
            Assert.Contains(container["ports"]!.AsArray(), p => (string?)p!["name"] == port);
            AssertSized(name, container);
            Assert.Equal("true", (string?)container["securityContext"]?["runAsNonRoot"]);
        }

        var redis = OnlyContainer(rendered.Find("StatefulSet", "redis"));
        Assert.NotNull(redis["readinessProbe"]);
        Assert.NotNull(redis["livenessProbe"]);
        AssertSized("redis", redis);
    }

    [KubectlFact]
    public async Task Rendered_config_maps_hold_no_secrets_and_every_env_source_exists()
    {
        var rendered = await DeployOverlay.RenderAgainstExampleAsync();
        foreach (var configMap in rendered.Where(o => (string?)o["kind"] == "ConfigMap"))
        {
            foreach (var (key, value) in configMap["data"]!.AsObject())
            {
                Assert.False(Aspirate.IsSecretEnvName(key), $"{key} in a ConfigMap");
                Assert.DoesNotContain("password", key, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("password=", (string?)value ?? "", StringComparison.OrdinalIgnoreCase);
            }
        }

        foreach (var workload in rendered.Where(o => (string?)o["kind"] is "Deployment" or "StatefulSet"))
        {
            foreach (var source in OnlyContainer(workload)["envFrom"]?.AsArray() ?? [])
            {
                if (source!["configMapRef"] is { } configMap)
                {
                    rendered.Find("ConfigMap", (string)configMap["name"]!);
                }
                if (source["secretRef"] is { } secret)
                {
                    rendered.Find("Secret", (string)secret["name"]!);
                }
            }
        }
    }

    internal static JsonObject OnlyContainer(JsonObject workload) =>
        (JsonObject)workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;

    private static void AssertSized(string name, JsonObject container)
    {
        var resources = container["resources"];
        Assert.True(resources?["requests"]?["cpu"] is not null && resources["requests"]?["memory"] is not null, $"{name}: no requests");
        Assert.True(resources["limits"]?["memory"] is not null, $"{name}: no memory limit");
    }
}
