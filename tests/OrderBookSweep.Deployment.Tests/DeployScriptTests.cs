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

    [DeployToolsFact]
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

    [DeployToolsFact]
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
    /// <c>docker build --build-arg</c>s (ContainerCompositionService), the worker's Redis connection
    /// string among them: the only build is deploy.sh's own, with no build args.
    /// </summary>
    [DeployToolsFact]
    public async Task No_secret_reaches_a_build_argument_a_tool_command_line_or_the_output()
    {
        var run = await DeployScript.DeployedAsync();
        var build = Assert.Single(run.CallsOf("docker build"));
        Assert.DoesNotContain("--build-arg", build, StringComparison.Ordinal);

        var everythingSeen = string.Join('\n', run.Calls) + run.Result.StandardOutput + run.Result.StandardError;
        foreach (var secret in DeployScript.PlaceholderSecrets.Values)
        {
            Assert.DoesNotContain(secret, everythingSeen, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))[..16], everythingSeen, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// aspirate lower-cases the tag it writes; the default tag (<c>commit-yyyyMMddTHHmmssZ</c>) has
    /// capitals. The pods must ask for exactly what was pushed.
    /// </summary>
    [DeployToolsFact]
    public async Task Default_tag_pushed_is_the_tag_the_pods_pull()
    {
        var run = await DeployScript.DeployedAsync();
        Assert.Matches("^[0-9a-f]{12}-[0-9]{8}T[0-9]{6}Z$", run.Tag);
        AssertPushedIsPulled(run, run.Tag);
    }

    [DeployToolsFact]
    public async Task Explicit_tag_with_capitals_pushed_is_the_tag_the_pods_pull()
    {
        var run = DeployScript.Succeeded(await DeployScript.RunAsync(
            ["--context", DeployScript.Context, "--registry", DeployScript.ExampleRegistry, "--tag", "Build-A1", "--yes"]));
        Assert.Equal("Build-A1", run.Tag);
        AssertPushedIsPulled(run, "Build-A1");
    }

    private static void AssertPushedIsPulled(DeployRun run, string tag)
    {
        var registry = DeployScript.ExampleRegistry;
        Assert.Contains($"docker build -f OrderBookSweep.Worker/Dockerfile -t {registry}/worker:{tag} .", run.Calls);
        Assert.Contains($"docker push {registry}/worker:{tag}", run.Calls);
        var publish = Assert.Single(run.CallsOf("dotnet publish"));
        Assert.Contains($"-p:ContainerRegistry={registry} -p:ContainerRepository=scheduler -p:ContainerImageTag={tag}", publish, StringComparison.Ordinal);
        foreach (var name in new[] { "worker", "scheduler" })
        {
            Assert.Equal($"{registry}/{name}:{tag}", (string?)DeployOverlay.OnlyContainer(run.Applied.Find("Deployment", name))["image"]);
        }
        Assert.Contains($"deploy.sh: deployed {registry}/{{worker,scheduler}}:{tag} to {DeployScript.Context}", run.Result.StandardError, StringComparison.Ordinal);
    }

    [DeployToolsFact]
    public async Task Every_image_is_pinned_and_pulled_IfNotPresent()
    {
        foreach (var container in (await DeployScript.DeployedAsync()).Applied.PodSpecs().SelectMany(p => p.PodSpec["containers"]!.AsArray()))
        {
            var image = (string)container!["image"]!;
            var lastSegment = image[(image.LastIndexOf('/') + 1)..];
            Assert.True(lastSegment.Contains(':', StringComparison.Ordinal) && !lastSegment.EndsWith(":latest", StringComparison.Ordinal), $"{image} has no fixed tag");
            Assert.Equal("IfNotPresent", (string?)container["imagePullPolicy"] ?? "IfNotPresent");
        }
    }

    [DeployToolsFact]
    public async Task Leaves_no_secret_on_disk()
    {
        Assert.Empty((await DeployScript.DeployedAsync()).LeftOnDisk);
    }

    /// <summary>The files the Secrets are generated from live only for the render: while kubectl applies, the one file with a secret is the one it applies; while the rollouts are awaited, none.</summary>
    [DeployToolsFact]
    public async Task Secret_files_are_gone_before_apply_and_the_rendered_secrets_before_the_rollout_waits()
    {
        var run = await DeployScript.DeployedAsync();
        var applyCall = run.CallsOf("kubectl").Single(call => call.Contains(" apply ", StringComparison.Ordinal));
        var appliedFile = applyCall.Split(' ').SkipWhile(word => word != "-f").ElementAt(1);

        Assert.Equal([Path.GetFileName(appliedFile)], DeployScript.FilesWithASecret(run.TemporaryFilesAt["apply"], DeployScript.PlaceholderSecrets.Values).Select(Path.GetFileName));
        Assert.NotEmpty(run.TemporaryFilesAt["rollout"]);
        Assert.Empty(DeployScript.FilesWithASecret(run.TemporaryFilesAt["rollout"], DeployScript.PlaceholderSecrets.Values));
    }

    [DeployToolsFact]
    public async Task A_refused_apply_fails_the_deploy_loudly_and_waits_for_nothing()
    {
        var run = await DeployAgainstAFailingClusterAsync("STAND_IN_APPLY_EXIT");
        Assert.Contains("FAILED: kubectl apply", run.Result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Calls, call => call.Contains(" rollout ", StringComparison.Ordinal));
    }

    [DeployToolsFact]
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

    [Theory]
    [InlineData("--context")]
    [InlineData("--registry")]
    [InlineData("--tag")]
    [InlineData("--namespace")]
    [InlineData("--out")]
    public async Task An_option_without_its_value_fails_in_the_scripts_own_words(string option)
    {
        string[][] lines = [["--registry", DeployScript.ExampleRegistry, option], [option, "--registry", DeployScript.ExampleRegistry]];
        foreach (var arguments in lines)
        {
            var run = await DeployScript.RunAsync(arguments);
            Assert.NotEqual(0, run.Result.ExitCode);
            Assert.Contains($"deploy.sh: FAILED: {option} needs a value", run.Result.StandardError, StringComparison.Ordinal);
            Assert.Empty(run.Calls);
        }
    }

    /// <summary>
    /// `--render-only` is how an operator inspects: the same render, Secret values redacted. A changed
    /// secret changes the pod-template checksum of exactly the workloads whose Secret holds it.
    /// </summary>
    [DeployToolsFact]
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
