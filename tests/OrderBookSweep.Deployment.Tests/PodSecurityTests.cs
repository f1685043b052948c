namespace OrderBookSweep.Deployment.Tests;

/// <summary>Every pod deploy.sh applies would be admitted to a namespace that enforces the `restricted` Pod Security Standard.</summary>
public sealed class PodSecurityTests
{
    [DeployToolsFact]
    public async Task Every_pod_applied_meets_the_restricted_standard()
    {
        var pods = (await DeployScript.DeployedAsync()).Applied.PodSpecs().ToList();
        Assert.Equal(4, pods.Count); // redis, worker, scheduler, dashboard
        var violations = pods.SelectMany(pod => PodSecurityStandard.Violations(pod.PodSpec).Select(v => $"{pod.Name}: {v}"));
        Assert.Empty(violations);
    }

    /// <summary>The checks bite: aspirate's own output, without deploy/, is refused on every pod.</summary>
    [Fact]
    public void Aspirates_output_alone_is_refused()
    {
        var workloads = Directory.EnumerateFiles(DeployOverlay.ExampleDirectory, "*.yaml", SearchOption.AllDirectories)
            .SelectMany(file => Yaml.ParseDocuments(File.ReadAllText(file)))
            .PodSpecs()
            .ToList();
        Assert.Equal(4, workloads.Count);
        foreach (var (name, spec) in workloads)
        {
            var violations = PodSecurityStandard.Violations(spec);
            Assert.Contains(violations, v => v.Contains("runAsNonRoot", StringComparison.Ordinal));
            Assert.Contains(violations, v => v.Contains("seccompProfile", StringComparison.Ordinal));
            Assert.Contains(violations, v => v.Contains("drop ALL", StringComparison.Ordinal));
            Assert.Contains(violations, v => v.Contains("allowPrivilegeEscalation", StringComparison.Ordinal));
        }
    }
}
