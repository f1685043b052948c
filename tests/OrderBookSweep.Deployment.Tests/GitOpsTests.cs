using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// <c>deploy.sh --render-only --out DIR</c>: the folder a GitOps tool (Argo CD, Flux) syncs. It must
/// render on its own, hold no secret value, and name the Secrets the operator creates.
/// </summary>
public sealed class GitOpsTests
{
    public sealed record RenderedSet(string Directory, DeployRun Run);

    public const string Tag = "Build-A1";

    private static readonly Lazy<Task<RenderedSet>> Rendered = new(RenderAsync);

    /// <summary>One render with a tag aspirate would change, with the secrets in the environment (none may reach the folder).</summary>
    public static Task<RenderedSet> RenderedAsync() => Rendered.Value;

    private static async Task<RenderedSet> RenderAsync()
    {
        var parent = Directory.CreateTempSubdirectory("orderbooksweep-gitops-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(parent, recursive: true);
        var folder = Path.Combine(parent, "orderbooksweep");
        var run = DeployScript.Succeeded(await DeployScript.RunAsync(
            ["--render-only", "--out", folder, "--registry", DeployScript.ExampleRegistry, "--tag", Tag]));
        return new RenderedSet(folder, run);
    }

    [DeployToolsFact]
    public async Task Folder_renders_on_its_own_anywhere_into_what_deploy_sh_applies_without_the_Secrets()
    {
        var set = await RenderedAsync();
        Assert.Equal($"{Tag}", set.Run.Tag);
        Assert.DoesNotContain(set.Run.Calls, call => !call.StartsWith("kubectl kustomize ", StringComparison.Ordinal));
        var copy = CopyOf(set.Directory);
        try
        {
            var rendered = await KustomizeAsync(copy);
            var applied = (await DeployScript.DeployedAsync()).Applied;
            Assert.Equal(
                applied.Where(o => (string?)o["kind"] != "Secret").Select(Identity).Order(),
                rendered.Select(Identity).Order());
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [DeployToolsFact]
    public async Task Folder_holds_no_secret_value_and_names_each_Secret_the_docs_say_how_to_create()
    {
        var set = await RenderedAsync();
        var files = Directory.EnumerateFiles(set.Directory, "*", SearchOption.AllDirectories).ToList();
        Assert.DoesNotContain(files, file => Path.GetFileName(file).StartsWith('.'));
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file);
            foreach (var secret in DeployScript.PlaceholderSecrets.Values.Append("set-by-deploy-sh"))
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("secretGenerator", text, StringComparison.Ordinal);
        }

        var rendered = await KustomizeAsync(set.Directory);
        Assert.DoesNotContain(rendered, o => (string?)o["kind"] == "Secret");
        var referenced = rendered.PodSpecs()
            .SelectMany(p => p.PodSpec["containers"]!.AsArray())
            .SelectMany(c => c!["envFrom"]?.AsArray() ?? [])
            .Select(source => (string?)source!["secretRef"]?["name"])
            .OfType<string>()
            .Distinct()
            .Order();
        Assert.Equal(["redis-secrets", "scheduler-secrets", "worker-secrets"], referenced);
        var docs = await File.ReadAllTextAsync(Repository.PathOf("docs", "deployment.md"));
        Assert.All(referenced, name => Assert.Matches($@"kubectl [^\n]*create secret generic {Regex.Escape(name)} ", docs));
    }

    /// <summary>The overlay, not aspirate, sets the tag the pods pull: aspirate's own output has it lower-cased.</summary>
    [DeployToolsFact]
    public async Task Tag_survives_aspirates_lower_casing_through_the_overlay()
    {
        var set = await RenderedAsync();
        var rendered = await KustomizeAsync(set.Directory);
        foreach (var name in new[] { "worker", "scheduler" })
        {
            var written = DeployOverlay.OnlyContainer(Yaml.ParseFile(Path.Combine(set.Directory, "aspirate-output", name, "deployment.yaml")));
            Assert.Equal($"{DeployScript.ExampleRegistry}/{name}:{Tag.ToLowerInvariant()}", (string?)written["image"]);
            Assert.Equal($"{DeployScript.ExampleRegistry}/{name}:{Tag}", (string?)DeployOverlay.OnlyContainer(rendered.Find("Deployment", name))["image"]);
        }
    }

    [DeployToolsFact]
    public async Task Refuses_a_folder_that_is_not_empty_and_out_without_render_only()
    {
        var set = await RenderedAsync();
        var again = await DeployScript.RunAsync(["--render-only", "--out", set.Directory, "--registry", DeployScript.ExampleRegistry]);
        Assert.Contains("deploy.sh: FAILED: --out", again.Result.StandardError, StringComparison.Ordinal);
        var deploy = await DeployScript.RunAsync(["--context", DeployScript.Context, "--out", set.Directory, "--registry", DeployScript.ExampleRegistry]);
        Assert.Contains("deploy.sh: FAILED: --out goes with --render-only", deploy.Result.StandardError, StringComparison.Ordinal);
        Assert.Empty(again.Calls.Concat(deploy.Calls));
    }

    public static async Task<IReadOnlyList<JsonObject>> KustomizeAsync(string directory)
    {
        var result = await ExternalCommand.RunAsync("kubectl", ["kustomize", directory], directory, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {directory} failed: " + result.Describe());
        return Yaml.ParseDocuments(result.StandardOutput);
    }

    /// <summary>A copy of a folder somewhere else, so that nothing it renders can come from beside it.</summary>
    public static string CopyOf(string directory)
    {
        var copy = Directory.CreateTempSubdirectory("orderbooksweep-gitops-copy-").FullName;
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    private static string Identity(JsonObject o) => $"{o["kind"]}/{o["metadata"]!["name"]}";
}
