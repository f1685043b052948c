using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The images this project does not build run at exact versions: Redis at a release of the line the
/// AppHost's Aspire.Hosting.Redis asks for, the dashboard at the Aspire version the AppHost runs.
/// </summary>
[Collection(ManifestCollection.Name)]
public sealed partial class PinnedImageTests(ManifestFixture fixture)
{
    [DeployToolsFact]
    public async Task Dashboard_is_the_one_of_the_Aspire_version_the_AppHost_uses()
    {
        var packages = XDocument.Load(global::OrderBookSweep.Deployment.Tests.Repository.PathOf("Directory.Packages.props"));
        var aspire = packages.Descendants("PackageVersion").Single(p => (string?)p.Attribute("Include") == "Aspire.Hosting.AppHost").Attribute("Version")!.Value;
        var image = (string)DeployOverlay.OnlyContainer((await DeployScript.DeployedAsync()).Applied.Find("Deployment", "aspire-dashboard"))["image"]!;
        Assert.Equal($"mcr.microsoft.com/dotnet/aspire-dashboard:{aspire}", image);
    }

    [DeployToolsFact]
    public async Task Redis_is_an_exact_release_of_the_line_the_AppHost_asks_for()
    {
        var requested = (string)fixture.Manifest["redis"]["image"]!;
        var image = (string)DeployOverlay.OnlyContainer((await DeployScript.DeployedAsync()).Applied.Find("StatefulSet", "redis"))["image"]!;
        Assert.Equal(Repository(requested), Repository(image));
        var version = Tag(image);
        Assert.Matches(ExactVersion(), version);
        Assert.StartsWith(Tag(requested) + ".", version, StringComparison.Ordinal);
    }

    [DeployToolsFact]
    public async Task Dashboard_has_probes_on_its_health_endpoint()
    {
        var container = DeployOverlay.OnlyContainer((await DeployScript.DeployedAsync()).Applied.Find("Deployment", "aspire-dashboard"));
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Assert.Equal("/health", (string?)container[probe]?["httpGet"]?["path"]);
            var port = (string?)container[probe]!["httpGet"]!["port"];
            Assert.Contains(container["ports"]!.AsArray(), p => (string?)p!["name"] == port);
        }
    }

    /// <summary>An image reference without its tag.</summary>
    public static string Repository(string image) => image[..image.LastIndexOf(':')];

    private static string Tag(string image) => image[(image.LastIndexOf(':') + 1)..];

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex ExactVersion();
}
