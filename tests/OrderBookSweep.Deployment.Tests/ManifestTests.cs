using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>The publish-mode manifest holds only what aspirate can deploy, and keeps secrets out of ConfigMaps.</summary>
[Collection(ManifestCollection.Name)]
public sealed class ManifestTests(ManifestFixture fixture)
{
    private AspireManifest Manifest => fixture.Manifest;

    [Fact]
    public void Generation_writes_nothing_to_stderr()
    {
        // aspirate runs the same command and aborts on any stderr output.
        Assert.True(fixture.Generation.StandardError.Length == 0, fixture.Generation.Describe());
    }

    [Fact]
    public void Every_resource_type_is_one_aspirate_supports()
    {
        var unsupported = Manifest.All
            .Where(r => !Aspirate.SupportedResourceTypes.Contains(AspireManifest.TypeOf(r.Resource)))
            .Select(r => $"{r.Name}: {AspireManifest.TypeOf(r.Resource)}");
        Assert.Empty(unsupported);
    }

    [Fact]
    public void Deploys_redis_worker_and_scheduler_and_nothing_else()
    {
        var deployable = Manifest.All
            .Where(r => Aspirate.DeployableResourceTypes.Contains(AspireManifest.TypeOf(r.Resource)))
            .Select(r => r.Name)
            .Order();
        Assert.Equal(["redis", "scheduler", "worker"], deployable);
    }

    [Fact]
    public void Every_reference_resolves_to_a_resource_aspirate_processes()
    {
        var problems = Manifest.All
            .SelectMany(r => StringsIn(r.Resource).Select(text => (r.Name, text)))
            .SelectMany(x => AspireManifest.ReferencesIn(x.text).Select(reference => (x.Name, reference)))
            .Select(x => Manifest.WhyUnresolved(x.reference) is { } why ? $"{x.Name}: {why}" : null)
            .OfType<string>();
        Assert.Empty(problems);
    }

    [Fact]
    public void Secrets_travel_only_in_env_names_aspirate_keeps_in_a_Secret()
    {
        var leaks = new List<string>();
        foreach (var (name, resource) in Manifest.All)
        {
            foreach (var (variable, value) in AspireManifest.EnvOf(resource))
            {
                if (Manifest.CarriesSecret(value) && !Aspirate.IsSecretEnvName(variable))
                {
                    leaks.Add($"{name}: {variable}={value} carries a secret into a ConfigMap");
                }
                if (!Aspirate.IsSecretEnvName(variable) && SoundsSecret(variable))
                {
                    leaks.Add($"{name}: {variable} looks like a secret but would land in a ConfigMap");
                }
            }
            if (resource["args"] is JsonArray args && args.Select(a => (string)a!).Any(Manifest.CarriesSecret))
            {
                leaks.Add($"{name}: a secret in the command line (plain in the pod spec)");
            }
        }
        Assert.Empty(leaks);
    }

    [Fact]
    public void Services_reach_redis_through_the_connection_string_only()
    {
        foreach (var service in new[] { "worker", "scheduler" })
        {
            var env = AspireManifest.EnvOf(Manifest[service]).ToDictionary();
            Assert.Equal("{redis.connectionString}", env["ConnectionStrings__redis"]);
            Assert.DoesNotContain(env.Keys, name => name.StartsWith("REDIS_", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Redis_is_a_container_that_keeps_its_data()
    {
        var redis = Manifest["redis"];
        Assert.StartsWith("container.", AspireManifest.TypeOf(redis), StringComparison.Ordinal);
        // A volume makes aspirate write a StatefulSet with a claim mounted at the data directory.
        Assert.Contains(redis["volumes"]!.AsArray(), volume => (string)volume!["target"]! == "/data");

        var env = AspireManifest.EnvOf(redis).ToDictionary();
        var commandLine = string.Join(' ', redis["args"]!.AsArray().Select(a => (string)a!));
        Assert.Contains("--save", commandLine, StringComparison.Ordinal);
        Assert.Contains("--appendonly yes", env["REDIS_PERSISTENCE"], StringComparison.Ordinal);
        Assert.Contains("$REDIS_PERSISTENCE", commandLine, StringComparison.Ordinal);
        // The memory cap comes from deploy/, next to the container's limit.
        Assert.Contains("$REDIS_MEMORY", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain("REDIS_MEMORY", env.Keys);
        // The password reaches redis-server from the env var aspirate keeps in a Secret.
        Assert.Contains("--requirepass $ConnectionStrings__REDIS_PASSWORD", commandLine, StringComparison.Ordinal);
        Assert.True(Manifest.CarriesSecret(env["ConnectionStrings__REDIS_PASSWORD"]));
        // aspirate writes a broken Deployment for a container whose env is only secrets.
        Assert.Contains(env.Keys, name => !Aspirate.IsSecretEnvName(name));
    }

    [Fact]
    public void Worker_image_is_built_from_its_Dockerfile_at_the_repository_root()
    {
        var worker = Manifest["worker"];
        Assert.Equal("container.v1", AspireManifest.TypeOf(worker));
        var build = worker["build"]!;
        Assert.Equal(Repository.Root, Path.GetFullPath(Path.Combine(fixture.ManifestDirectory, (string)build["context"]!)).TrimEnd('/'));
        var dockerfile = Path.GetFullPath(Path.Combine(fixture.ManifestDirectory, (string)build["dockerfile"]!));
        Assert.Equal(Repository.PathOf("OrderBookSweep.Worker", "Dockerfile"), dockerfile);
        Assert.True(File.Exists(dockerfile), "aspirate does not notice a missing Dockerfile until docker build");
    }

    [Fact]
    public void Each_service_exposes_one_http_port()
    {
        // Two bindings on one target port become a Service with a duplicate port, which Kubernetes rejects.
        foreach (var service in new[] { "worker", "scheduler" })
        {
            var bindings = Manifest[service]["bindings"]!.AsObject();
            Assert.Equal(["http"], bindings.Select(b => b.Key));
        }
    }

    [Fact]
    public void Scheduler_API_key_comes_from_a_secret_parameter_the_operator_must_set()
    {
        var env = AspireManifest.EnvOf(Manifest["scheduler"]).ToDictionary();
        Assert.Equal("{scheduler-api-key.value}", env["ConnectionStrings__scheduler-api-key"]);
        var input = Manifest["scheduler-api-key"]["inputs"]!["value"]!;
        Assert.True(input["secret"]!.GetValue<bool>());
        // No default: aspirate would otherwise generate a key nobody knows.
        Assert.Null(input["default"]);
    }

    private static bool SoundsSecret(string name) =>
        name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)
        || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase)
        || name.Contains("APIKEY", StringComparison.OrdinalIgnoreCase)
        || name.Contains("API_KEY", StringComparison.OrdinalIgnoreCase)
        || name.Contains("api-key", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> StringsIn(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(pair => StringsIn(pair.Value)),
        JsonArray array => array.SelectMany(StringsIn),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };
}
