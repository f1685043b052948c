using System.Text;
using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// deploy/deploy.sh, run as the docs tell an operator to run it (with placeholder secrets and the
/// stand-ins for aspirate, docker and the cluster): what it builds, renders, applies and waits for,
/// where the secrets go, and that it fails loudly.
/// </summary>
[Collection(ManifestCollection.Name)]
public sealed class DeployScriptTests(ManifestFixture fixture)
{
    /// <summary>Which environment variable of deploy.sh carries which secret parameter of the manifest.</summary>
    private static readonly IReadOnlyDictionary<string, string> ParameterOf = new Dictionary<string, string>
    {
        ["REDIS_PASSWORD"] = "redis-password",
        ["SCHEDULER_API_KEY"] = "scheduler-api-key",
    };

    private static readonly string[] Workloads = ["deployment.apps/aspire-dashboard", "deployment.apps/scheduler", "deployment.apps/worker", "statefulset.apps/redis"];

    [KubectlFact]
    public async Task Applies_to_the_named_context_then_waits_for_every_workload_it_applied()
    {
        var run = await DeployScript.DeployedAsync();
        // The context is checked first, then named in every call that reaches the cluster.
        Assert.Equal($"kubectl config get-contexts {DeployScript.Context}", run.CallsOf("kubectl").First());
        var clusterCalls = run.CallsOf("kubectl").Skip(1).Where(call => !call.StartsWith("kubectl kustomize ", StringComparison.Ordinal)).ToList();
        Assert.All(clusterCalls, call => Assert.StartsWith($"kubectl --context {DeployScript.Context} ", call, StringComparison.Ordinal));

        var applied = run.Applied.PodSpecs().Select(p => p.Name.ToLowerInvariant().Replace("/", ".apps/", StringComparison.Ordinal)).Order();
        Assert.Equal(Workloads, applied);
        var waitedFor = clusterCalls.Where(c => c.Contains(" rollout status ", StringComparison.Ordinal)).Select(c => c.Split(" ")[5]).Order();
        Assert.Equal(Workloads, waitedFor);
        // Waiting comes after applying.
        Assert.Contains(" apply ", clusterCalls[0], StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task Each_Secret_holds_exactly_what_the_manifest_gives_that_service()
    {
        var run = await DeployScript.DeployedAsync();
        var parameters = DeployScript.PlaceholderSecrets.ToDictionary(p => ParameterOf[p.Key], p => p.Value);
        foreach (var (name, resource) in fixture.Manifest.All.Where(r => Aspirate.DeployableResourceTypes.Contains(AspireManifest.TypeOf(r.Resource))))
        {
            var expected = AspireManifest.EnvOf(resource)
                .Where(e => Aspirate.IsSecretEnvName(e.Name))
                .ToDictionary(e => e.Name, e => fixture.Manifest.Resolve(e.Value, parameters));
            var secret = run.Applied.Find("Secret", $"{name}-secrets")["data"]!.AsObject()
                .ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(Convert.FromBase64String((string)p.Value!)));
            Assert.Equal(expected.OrderBy(p => p.Key), secret.OrderBy(p => p.Key));
        }
    }

    /// <summary>
    /// aspirate builds an image from a Dockerfile with the resource's env and build args as
    /// <c>docker build --build-arg</c>s (ContainerCompositionService): where those carry a secret,
    /// it must not build. deploy.sh builds itself, with no build args.
    /// </summary>
    [KubectlFact]
    public async Task No_secret_reaches_a_build_argument_a_tool_command_line_or_the_output()
    {
        var run = await DeployScript.DeployedAsync();
        var aspirate = Assert.Single(run.CallsOf("aspirate"));
        foreach (var (name, resource) in fixture.Manifest.All.Where(r => r.Resource["build"] is not null))
        {
            var aspirateBuildArgs = AspireManifest.EnvOf(resource).Select(e => e.Value)
                .Concat((resource["build"]!["args"] as JsonObject ?? []).Select(a => (string)a.Value!));
            if (aspirateBuildArgs.Any(fixture.Manifest.CarriesSecret))
            {
                Assert.Contains(" --skip-build ", aspirate + " ", StringComparison.Ordinal);
            }
        }
        var build = Assert.Single(run.CallsOf("docker build"));
        Assert.DoesNotContain("--build-arg", build, StringComparison.Ordinal);

        var everythingSeen = string.Join('\n', run.Calls) + run.Result.StandardOutput + run.Result.StandardError;
        foreach (var secret in DeployScript.PlaceholderSecrets.Values)
        {
            Assert.DoesNotContain(secret, everythingSeen, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))[..16], everythingSeen, StringComparison.Ordinal);
        }
    }

    [KubectlFact]
    public async Task Pods_run_the_images_just_built_under_a_tag_of_their_own_with_a_pull_policy_that_fits()
    {
        var run = await DeployScript.DeployedAsync();
        var tag = DeployScript.ExampleTag;
        var registry = DeployScript.ExampleRegistry;
        Assert.Contains($"docker build -f OrderBookSweep.Worker/Dockerfile -t {registry}/worker:{tag} .", run.Calls);
        Assert.Contains($"docker push {registry}/worker:{tag}", run.Calls);
        var publish = Assert.Single(run.CallsOf("dotnet publish"));
        Assert.Contains($"-p:ContainerRegistry={registry} -p:ContainerRepository=scheduler -p:ContainerImageTag={tag}", publish, StringComparison.Ordinal);

        foreach (var name in new[] { "worker", "scheduler" })
        {
            var container = DeployOverlay.OnlyContainer(run.Applied.Find("Deployment", name));
            Assert.Equal($"{registry}/{name}:{tag}", (string?)container["image"]);
        }
        foreach (var container in run.Applied.PodSpecs().SelectMany(p => p.PodSpec["containers"]!.AsArray()))
        {
            // A moving tag needs Always, or a node keeps running whatever it pulled first.
            var image = (string)container!["image"]!;
            var lastSegment = image[(image.LastIndexOf('/') + 1)..];
            if (!lastSegment.Contains(':', StringComparison.Ordinal) || lastSegment.EndsWith(":latest", StringComparison.Ordinal))
            {
                Assert.Equal("Always", (string?)container["imagePullPolicy"]);
            }
        }
    }

    [KubectlFact]
    public async Task Leaves_no_secret_on_disk()
    {
        Assert.Empty((await DeployScript.DeployedAsync()).LeftOnDisk);
    }

    [KubectlFact]
    public async Task A_refused_apply_fails_the_deploy_loudly_and_waits_for_nothing()
    {
        var run = await DeployAgainstAFailingClusterAsync("STAND_IN_APPLY_EXIT");
        Assert.Contains("FAILED: kubectl apply", run.Result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Calls, call => call.Contains(" rollout ", StringComparison.Ordinal));
    }

    [KubectlFact]
    public async Task A_rollout_that_does_not_finish_fails_the_deploy_loudly()
    {
        var run = await DeployAgainstAFailingClusterAsync("STAND_IN_ROLLOUT_EXIT");
        Assert.Contains("did not roll out", run.Result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A deploy of pushed images where the stand-in cluster fails the step named; it must exit non-zero and leave no secret behind.</summary>
    private static async Task<DeployRun> DeployAgainstAFailingClusterAsync(string failingStep)
    {
        var run = await DeployScript.RunAsync(
            ["--context", DeployScript.Context, "--registry", DeployScript.ExampleRegistry, "--tag", DeployScript.ExampleTag, "--skip-build", "--yes"],
            standIns: new Dictionary<string, string> { [failingStep] = "1" });
        Assert.NotEqual(0, run.Result.ExitCode);
        Assert.Empty(run.LeftOnDisk);
        return run;
    }

    [Fact]
    public async Task Refuses_to_run_without_a_context_or_with_a_weak_secret_before_touching_anything()
    {
        var noContext = await DeployScript.RunAsync(["--registry", DeployScript.ExampleRegistry, "--tag", DeployScript.ExampleTag]);
        Assert.NotEqual(0, noContext.Result.ExitCode);
        Assert.Contains("--context is required", noContext.Result.StandardError, StringComparison.Ordinal);
        Assert.Empty(noContext.Calls);

        var weak = new Dictionary<string, string>(DeployScript.PlaceholderSecrets) { ["REDIS_PASSWORD"] = "short,with;shell$chars" };
        var weakRun = await DeployScript.RunAsync(["--context", DeployScript.Context, "--registry", DeployScript.ExampleRegistry], weak);
        Assert.NotEqual(0, weakRun.Result.ExitCode);
        Assert.Contains("REDIS_PASSWORD must be", weakRun.Result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("short,with", weakRun.Result.StandardError, StringComparison.Ordinal);
        Assert.Empty(weakRun.Calls);
    }

    /// <summary>
    /// `--render-only` is how an operator inspects: the same render, Secret values redacted. A changed
    /// secret changes the pod-template checksum of exactly the workloads whose Secret holds it.
    /// </summary>
    [KubectlFact]
    public async Task Render_shows_no_secret_and_a_changed_secret_rolls_exactly_the_pods_that_read_it()
    {
        var before = (await DeployScript.DeployedAsync()).Applied;
        var shown = await RenderAsync(DeployScript.PlaceholderSecrets);
        var newKey = await RenderAsync(new Dictionary<string, string>(DeployScript.PlaceholderSecrets) { ["SCHEDULER_API_KEY"] = "another-placeholder-api-key-0123456789" });
        var newPassword = await RenderAsync(new Dictionary<string, string>(DeployScript.PlaceholderSecrets) { ["REDIS_PASSWORD"] = "another-placeholder-redis-password-0123" });

        foreach (var secret in shown.Where(o => (string?)o["kind"] == "Secret"))
        {
            Assert.All(secret["data"]!.AsObject(), value => Assert.Equal("<redacted>", (string?)value.Value));
        }
        Assert.Empty(Changed(before, shown));
        Assert.Equal(["scheduler"], Changed(before, newKey));
        Assert.Equal(["redis", "scheduler", "worker"], Changed(before, newPassword));
    }

    private static async Task<IReadOnlyList<JsonObject>> RenderAsync(IReadOnlyDictionary<string, string> secrets)
    {
        var run = await DeployScript.RunAsync(
            ["--registry", DeployScript.ExampleRegistry, "--tag", DeployScript.ExampleTag, "--skip-build", "--render-only"], secrets);
        Assert.True(run.Result.ExitCode == 0, "deploy.sh --render-only failed: " + run.Result.Describe());
        foreach (var secret in secrets.Values)
        {
            Assert.DoesNotContain(secret, run.Result.StandardOutput + run.Result.StandardError, StringComparison.Ordinal);
        }
        Assert.Empty(run.LeftOnDisk);
        return Yaml.ParseDocuments(run.Result.StandardOutput);
    }

    private static IEnumerable<string> Changed(IReadOnlyList<JsonObject> before, IReadOnlyList<JsonObject> after) =>
        before.Where(o => (string?)o["kind"] is "Deployment" or "StatefulSet")
            .Where(o => (string?)o["metadata"]!["name"] != "aspire-dashboard")
            .Select(o => (string)o["metadata"]!["name"]!)
            .Where(name => Checksum(before, name) != Checksum(after, name))
            .Order();

    private static string Checksum(IReadOnlyList<JsonObject> objects, string name)
    {
        var workload = objects.Single(o => (string?)o["kind"] is "Deployment" or "StatefulSet" && (string?)o["metadata"]!["name"] == name);
        return (string?)workload["spec"]!["template"]!["metadata"]!["annotations"]?["orderbooksweep/secret-checksum"]
            ?? throw new Xunit.Sdk.XunitException($"{name} has no secret checksum annotation");
    }
}
