using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// deploy/ adds what aspirate's output lacks: the worker replica count, resources, probes, Redis's
/// memory cap, the StatefulSet's headless Service, the workers' disruption budget and spread, a
/// dashboard behind its login, and an optional Ingress. Checked on what deploy.sh applies.
/// </summary>
public sealed partial class OverlayTests
{
    [DeployToolsFact]
    public async Task Worker_runs_three_replicas_replaced_one_at_a_time_spread_and_guarded_by_a_disruption_budget()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        var worker = applied.Find("Deployment", "worker");
        Assert.Equal("3", (string?)worker["spec"]!["replicas"]);
        Assert.Equal("RollingUpdate", (string?)worker["spec"]!["strategy"]!["type"]);
        var labels = worker["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();

        var budget = applied.Find("PodDisruptionBudget", "worker");
        Assert.Equal("1", (string?)budget["spec"]!["maxUnavailable"]);
        AssertSelects(budget["spec"]!["selector"]!["matchLabels"]!.AsObject(), labels);

        var spread = worker["spec"]!["template"]!["spec"]!["topologySpreadConstraints"]!.AsArray();
        Assert.Contains(spread, c => (string?)c!["topologyKey"] == "kubernetes.io/hostname");
        foreach (var constraint in spread)
        {
            AssertSelects(constraint!["labelSelector"]!["matchLabels"]!.AsObject(), labels);
        }
    }

    [DeployToolsFact]
    public async Task Services_have_probes_on_their_health_endpoints_and_resources()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        foreach (var name in new[] { "worker", "scheduler" })
        {
            var container = DeployOverlay.OnlyContainer(applied.Find("Deployment", name));
            Assert.Equal("/health", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
            Assert.Equal("/alive", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
            // The probes name the port; it must be one the container declares.
            var port = (string?)container["readinessProbe"]!["httpGet"]!["port"];
            Assert.Contains(container["ports"]!.AsArray(), p => (string?)p!["name"] == port);
        }

        var redis = DeployOverlay.OnlyContainer(applied.Find("StatefulSet", "redis"));
        Assert.NotNull(redis["readinessProbe"]);
        Assert.NotNull(redis["livenessProbe"]);
        // The probe must not put the password on a command line.
        Assert.DoesNotContain(" -a ", string.Join(' ', redis["readinessProbe"]!["exec"]!["command"]!.AsArray().Select(a => (string)a!)), StringComparison.Ordinal);

        foreach (var (name, spec) in applied.PodSpecs())
        {
            foreach (var container in spec["containers"]!.AsArray())
            {
                var resources = container!["resources"];
                Assert.True(resources?["requests"]?["cpu"] is not null && resources["requests"]?["memory"] is not null, $"{name}: no requests");
                Assert.True(resources["limits"]?["memory"] is not null, $"{name}: no memory limit");
            }
        }
    }

    /// <summary>
    /// The worker's memory request covers the measured peak of worker + Node engine per replica in the
    /// realistic rehearsal (docs/performance.md, "Memory"), and its limit leaves room for a larger world.
    /// </summary>
    [DeployToolsFact]
    public async Task Worker_memory_request_covers_the_measured_peak_and_the_limit_leaves_room_above_it()
    {
        const long measuredPeak = 244L << 20;
        var resources = DeployOverlay.OnlyContainer((await DeployScript.DeployedAsync()).Applied.Find("Deployment", "worker"))["resources"]!;
        var request = Bytes((string)resources["requests"]!["memory"]!);
        var limit = Bytes((string)resources["limits"]!["memory"]!);
        Assert.InRange(request, measuredPeak, measuredPeak * 5 / 4);
        Assert.True(limit >= request * 3 / 2, $"limit {limit} must leave room above the request {request}");
    }

    [DeployToolsFact]
    public async Task Redis_caps_its_data_below_half_its_memory_limit_and_never_evicts_keys_without_a_TTL()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        var container = DeployOverlay.OnlyContainer(applied.Find("StatefulSet", "redis"));
        // The command line reads the settings from the ConfigMap the container loads.
        Assert.Contains("$REDIS_MEMORY", (string)container["args"]!.AsArray().Last()!, StringComparison.Ordinal);
        var settings = (string)applied.Find("ConfigMap", "redis-env")["data"]!["REDIS_MEMORY"]!;

        var flags = RedisFlag().Matches(settings).ToDictionary(f => f.Groups["name"].Value, f => f.Groups["value"].Value);
        Assert.True(flags.ContainsKey("maxmemory") && flags.ContainsKey("maxmemory-policy"), $"REDIS_MEMORY '{settings}' sets no maxmemory and policy");
        var limit = Bytes((string)container["resources"]!["limits"]!["memory"]!);
        // A fork (AOF rewrite, RDB snapshot) can copy every page it touches: the data must fit twice.
        Assert.True(2 * Bytes(flags["maxmemory"]) <= limit, $"maxmemory {flags["maxmemory"]} leaves no fork headroom under the {limit}-byte limit");
        // Only keys with a TTL (books, finished sweeps) may go; queue, leases and permits have none.
        // RedisEvictionTests runs the policy on a real server.
        Assert.StartsWith("volatile-", flags["maxmemory-policy"], StringComparison.Ordinal);
        Assert.Equal(
            (string)container["resources"]!["requests"]!["memory"]!,
            (string)container["resources"]!["limits"]!["memory"]!);
    }

    [DeployToolsFact]
    public async Task Redis_StatefulSet_is_governed_by_a_headless_Service_that_selects_it()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        var redis = applied.Find("StatefulSet", "redis");
        var service = applied.Find("Service", (string)redis["spec"]!["serviceName"]!);
        Assert.Equal("None", (string?)service["spec"]!["clusterIP"]);
        AssertSelects(service["spec"]!["selector"]!.AsObject(), redis["spec"]!["template"]!["metadata"]!["labels"]!.AsObject());
        // Clients keep the ClusterIP Service named in their connection string.
        Assert.NotEqual("None", (string?)applied.Find("Service", "redis")["spec"]!["clusterIP"]);
    }

    [DeployToolsFact]
    public async Task Dashboard_asks_for_its_login_token_and_a_small_CPU_request()
    {
        var container = DeployOverlay.OnlyContainer((await DeployScript.DeployedAsync()).Applied.Find("Deployment", "aspire-dashboard"));
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
        Assert.Equal("false", env["DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"]);
        Assert.Equal("BrowserToken", env["Dashboard__Frontend__AuthMode"]);
        Assert.True(MilliCpu((string)container["resources"]!["requests"]!["cpu"]!) <= 100);
    }

    [DeployToolsFact]
    public async Task Config_maps_hold_no_secrets_and_every_env_source_exists()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        foreach (var configMap in applied.Where(o => (string?)o["kind"] == "ConfigMap"))
        {
            foreach (var (key, value) in configMap["data"]!.AsObject())
            {
                Assert.False(Aspirate.IsSecretEnvName(key), $"{key} in a ConfigMap");
                Assert.DoesNotContain("password", key, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("password=", (string?)value ?? "", StringComparison.OrdinalIgnoreCase);
            }
        }

        foreach (var (_, spec) in applied.PodSpecs())
        {
            foreach (var source in spec["containers"]!.AsArray().SelectMany(c => c!["envFrom"]?.AsArray() ?? []))
            {
                if (source!["configMapRef"] is { } configMap)
                {
                    applied.Find("ConfigMap", (string)configMap["name"]!);
                }
                if (source["secretRef"] is { } secret)
                {
                    applied.Find("Secret", (string)secret["name"]!);
                }
            }
        }
    }

    /// <summary>The optional Ingress, enabled the way docs/deployment.md says, reaches the scheduler's Service over TLS.</summary>
    [DeployToolsFact]
    public async Task Optional_ingress_routes_the_API_over_TLS_to_the_schedulers_Service()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        var root = Directory.CreateTempSubdirectory("orderbooksweep-ingress-").FullName;
        try
        {
            // The applied objects as a base, with the component listed as deploy/kustomization.yaml would list it.
            await File.WriteAllTextAsync(Path.Combine(root, "applied.yaml"), string.Join("\n---\n", applied.Select(o => o.ToJsonString())));
            Directory.CreateDirectory(Path.Combine(root, "ingress"));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(DeployOverlay.Directory, "ingress")))
            {
                File.Copy(file, Path.Combine(root, "ingress", Path.GetFileName(file)));
            }
            await File.WriteAllTextAsync(Path.Combine(root, "kustomization.yaml"), "resources:\n- applied.yaml\ncomponents:\n- ingress\n");
            var result = await ExternalCommand.RunAsync("kubectl", ["kustomize", root], root, TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, "kubectl kustomize with the ingress component failed: " + result.Describe());

            var ingress = Yaml.ParseDocuments(result.StandardOutput).Single(o => (string?)o["kind"] == "Ingress");
            Assert.NotEmpty(ingress["spec"]!["tls"]!.AsArray());
            var backend = ingress["spec"]!["rules"]!.AsArray().Single()!["http"]!["paths"]!.AsArray().Single()!["backend"]!["service"]!;
            var service = applied.Find("Service", (string)backend["name"]!);
            Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)backend["port"]!["name"]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void AssertSelects(JsonObject selector, JsonObject labels) =>
        Assert.True(LabelSelector.Matches(new JsonObject { ["matchLabels"] = selector.DeepClone() }, labels), $"{selector.ToJsonString()} does not select {labels.ToJsonString()}");

    /// <summary>Kubernetes quantities (Mi, Gi, M, G) and Redis sizes (mb, gb: powers of 1024) in bytes.</summary>
    internal static long Bytes(string quantity)
    {
        var match = Quantity().Match(quantity);
        Assert.True(match.Success, $"'{quantity}' is not a size");
        var number = long.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        return number * match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "" or "b" => 1L,
            "ki" or "kb" => 1L << 10,
            "mi" or "mb" => 1L << 20,
            "gi" or "gb" => 1L << 30,
            "k" => 1000L,
            "m" => 1000_000L,
            "g" => 1000_000_000L,
            var unit => throw new Xunit.Sdk.XunitException($"Unknown unit '{unit}' in '{quantity}'"),
        };
    }

    private static int MilliCpu(string cpu) =>
        cpu.EndsWith('m') ? int.Parse(cpu[..^1], CultureInfo.InvariantCulture) : (int)(double.Parse(cpu, CultureInfo.InvariantCulture) * 1000);

    [GeneratedRegex(@"^(?<number>\d+)(?<unit>[A-Za-z]*)$")]
    private static partial Regex Quantity();

    [GeneratedRegex(@"--(?<name>[a-z-]+)\s+(?<value>\S+)")]
    private static partial Regex RedisFlag();
}
