namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// Settings given to the AppHost reach the services under the one key each service binds, as the
/// published manifest (and so aspirate's ConfigMaps) carries them; a deprecated key still works and
/// says so. Each test publishes the AppHost with its own settings.
/// </summary>
[Collection(ManifestCollection.Name)]
public sealed class SettingsManifestTests(ManifestFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orderbooksweep-settings-manifest-").FullName;

    [Fact]
    public void With_nothing_set_the_services_keep_their_own_defaults()
    {
        foreach (var service in new[] { "worker", "scheduler" })
        {
            Assert.DoesNotContain(SettingsOf(fixture.Manifest, service), e => e.Name.StartsWith("Coordination__", StringComparison.Ordinal) || e.Name.StartsWith("Sweep__", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_AppHosts_sections_reach_the_services_under_the_same_keys()
    {
        var (generation, manifest) = await ManifestFixture.GenerateAsync(
            _directory,
            [
                "--Coordination:MaxConcurrentExchanges=8", "--Coordination:LeaseDuration=00:00:20",
                "--Sweep:Interval=00:05:00", "--Sweep:Exchanges=binance,kraken", "--AppHost:WorkerReplicas=2",
            ]);

        Assert.True(generation.StandardError.Length == 0, generation.Describe());
        Assert.Equal(
            [("Coordination__LeaseDuration", "00:00:20"), ("Coordination__MaxConcurrentExchanges", "8")],
            SettingsOf(manifest, "worker"));
        Assert.Equal(
            [
                ("Coordination__LeaseDuration", "00:00:20"), ("Coordination__MaxConcurrentExchanges", "8"),
                ("Sweep__Exchanges", "binance,kraken"), ("Sweep__Interval", "00:05:00"),
            ],
            SettingsOf(manifest, "scheduler"));
    }

    [Fact]
    public async Task A_deprecated_key_is_read_as_its_new_key_with_a_warning()
    {
        // Set in the environment, as a deployment pipeline written for the old key would.
        var (generation, manifest) = await ManifestFixture.GenerateAsync(
            _directory, [], new Dictionary<string, string> { ["Sweep__MaxConcurrentExchanges"] = "7" });

        // aspirate runs the same command and aborts on any stderr output: the warning goes to stdout.
        Assert.True(generation.StandardError.Length == 0, generation.Describe());
        Assert.Contains(
            "The setting Sweep:MaxConcurrentExchanges is deprecated: use Coordination:MaxConcurrentExchanges",
            generation.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("warn", generation.StandardOutput, StringComparison.Ordinal);
        Assert.Equal([("Coordination__MaxConcurrentExchanges", "7")], SettingsOf(manifest, "worker"));
        Assert.Equal([("Coordination__MaxConcurrentExchanges", "7")], SettingsOf(manifest, "scheduler"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The service's environment from the operator's settings sections, by name.</summary>
    private static List<(string Name, string Value)> SettingsOf(AspireManifest manifest, string service) =>
        AspireManifest.EnvOf(manifest[service])
            .Where(e => e.Name.Split("__")[0] is "Coordination" or "Sweep" or "AppHost")
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
}
