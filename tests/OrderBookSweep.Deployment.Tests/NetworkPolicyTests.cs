using System.Globalization;
using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The rendered NetworkPolicies, evaluated against the labels of the pods deploy.sh applies: who may
/// open a connection to which pod on which port.
/// </summary>
public sealed class NetworkPolicyTests
{
    /// <summary>A source outside any pod selector: another namespace, an IP block, or anyone at all.</summary>
    private const string Anyone = "*";

    [DeployToolsFact]
    public async Task Redis_is_reached_only_from_the_worker_and_scheduler_pods_on_its_port()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        Assert.Equal(["scheduler", "worker"], AllowedSources(applied, "redis", 6379).Order());
        Assert.Empty(AllowedSources(applied, "redis", 16379));
    }

    [DeployToolsFact]
    public async Task Dashboard_takes_telemetry_from_every_pod_of_the_system_and_nothing_else()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        var otlp = DeployOverlay.OnlyContainer(applied.Find("Deployment", "aspire-dashboard"))["ports"]!.AsArray()
            .Single(p => (string?)p!["name"] == "otlp")!["containerPort"]!;
        var systemPods = applied.PodLabels().Select(p => p.Name).Order();
        Assert.Equal(systemPods, AllowedSources(applied, "aspire-dashboard", int.Parse((string)otlp!, CultureInfo.InvariantCulture)).Order());
        // The UI is reached through kubectl port-forward, which no policy stops.
        Assert.Empty(AllowedSources(applied, "aspire-dashboard", 18888));
    }

    [DeployToolsFact]
    public async Task Other_ingress_to_the_namespace_is_denied()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        Assert.Empty(AllowedSources(applied, "worker", 8080));
        Assert.Empty(AllowedSources(applied, "scheduler", 8080));
        // Any other pod in the namespace too.
        Assert.Empty(AllowedSources(applied, new JsonObject { ["app"] = "something-else" }, 80));
    }

    /// <summary>The way docs/deployment.md gives to turn the default deny off: remove its line from the kustomization.</summary>
    [DeployToolsFact]
    public async Task Removing_the_default_deny_opens_the_services_and_keeps_redis_and_the_dashboard_closed()
    {
        var gitOps = await GitOpsTests.RenderedAsync();
        var copy = GitOpsTests.CopyOf(gitOps.Directory);
        try
        {
            var kustomization = Path.Combine(copy, "kustomization.yaml");
            var lines = File.ReadAllLines(kustomization);
            Assert.Contains("- network-policies/deny-other-ingress.yaml", lines);
            File.WriteAllLines(kustomization, lines.Where(line => line != "- network-policies/deny-other-ingress.yaml"));
            var rendered = await GitOpsTests.KustomizeAsync(copy);

            Assert.Equal([Anyone], AllowedSources(rendered, "worker", 8080));
            Assert.Equal([Anyone], AllowedSources(rendered, "scheduler", 8080));
            Assert.Equal(["scheduler", "worker"], AllowedSources(rendered, "redis", 6379).Order());
            Assert.DoesNotContain(Anyone, AllowedSources(rendered, "aspire-dashboard", 18889));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static IReadOnlySet<string> AllowedSources(IReadOnlyList<JsonObject> objects, string pod, int port) =>
        AllowedSources(objects, objects.PodLabels().Single(p => p.Name == pod).Labels, port);

    /// <summary>
    /// The system's pods (by workload name) that may connect to a pod with these labels on this port,
    /// plus <see cref="Anyone"/> for sources no pod selector names. A pod no Ingress policy selects
    /// takes everything (Kubernetes' rule); policies add up.
    /// </summary>
    private static IReadOnlySet<string> AllowedSources(IReadOnlyList<JsonObject> objects, JsonObject target, int port)
    {
        var pods = objects.PodLabels().ToList();
        var policies = objects
            .Where(o => (string?)o["kind"] == "NetworkPolicy")
            .Select(o => o["spec"]!.AsObject())
            .Where(spec => spec["policyTypes"]?.AsArray().Any(t => (string?)t == "Ingress") ?? spec["ingress"] is not null)
            .Where(spec => LabelSelector.Matches(spec["podSelector"]!.AsObject(), target))
            .ToList();
        if (policies.Count == 0)
        {
            return new HashSet<string> { Anyone };
        }

        var allowed = new HashSet<string>();
        foreach (var rule in policies.SelectMany(spec => spec["ingress"]?.AsArray() ?? []))
        {
            var ports = rule!["ports"]?.AsArray();
            if (ports is { Count: > 0 } && !ports.Any(p => (string?)p!["port"] == port.ToString(CultureInfo.InvariantCulture)))
            {
                continue;
            }
            var peers = rule["from"]?.AsArray();
            if (peers is null || peers.Count == 0)
            {
                allowed.Add(Anyone);
                continue;
            }
            foreach (var peer in peers)
            {
                if (peer!["namespaceSelector"] is not null || peer["ipBlock"] is not null || peer["podSelector"] is not JsonObject selector)
                {
                    allowed.Add(Anyone);
                    continue;
                }
                allowed.UnionWith(pods.Where(p => LabelSelector.Matches(selector, p.Labels)).Select(p => p.Name));
            }
        }
        return allowed;
    }
}
