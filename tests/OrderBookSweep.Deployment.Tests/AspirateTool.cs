namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The real aspirate, at <c>shared/tools/aspirate/bin/aspirate</c> beside the repository (where every
/// developer machine and CI keep it: docs/deployment.md, "What was run here"), with a HOME of its
/// own in which its update check is turned off: without a network, that check fails every command.
/// </summary>
internal static class AspirateTool
{
    public static string Path { get; } = System.IO.Path.Combine(Directory.GetParent(Repository.Root)!.FullName, "shared", "tools", "aspirate", "bin", "aspirate");

    public static bool IsPresent => File.Exists(Path);

    private static readonly Lazy<Task<string>> PreparedHome = new(PrepareHomeAsync);

    /// <summary>A HOME for aspirate with <c>settings update-checks disable</c> done, made once per test run.</summary>
    public static Task<string> HomeAsync() => PreparedHome.Value;

    private static async Task<string> PrepareHomeAsync()
    {
        var home = Directory.CreateTempSubdirectory("orderbooksweep-aspirate-home-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(home, recursive: true);
        // aspirate keeps its settings under LocalApplicationData, which .NET reports as "" while
        // $HOME/.local/share does not exist: the setting would land in the working directory.
        Directory.CreateDirectory(System.IO.Path.Combine(home, ".local", "share"));
        var result = await ExternalCommand.RunAsync(Path, ["settings", "update-checks", "disable"], home, TimeSpan.FromMinutes(1), Environment(home));
        var setting = System.IO.Path.Combine(home, ".local", "share", "Aspirate", "updates-disabled");
        Assert.True(result.ExitCode == 0 && File.Exists(setting), "aspirate settings update-checks disable failed: " + result.Describe());
        return home;
    }

    /// <summary>What aspirate (and the dotnet it calls) needs with that HOME: the NuGet packages the build restored stay where they are.</summary>
    public static Dictionary<string, string> Environment(string home) => new()
    {
        ["HOME"] = home,
        ["ASPIRATE_NO_LOGO"] = "1",
        ["NUGET_PACKAGES"] = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? System.IO.Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
    };
}

/// <summary>
/// A test that runs deploy/ with the real aspirate and renders with <c>kubectl kustomize</c>. Skipped,
/// with the reason, where either is missing; under CI=true it runs anyway and fails on the missing tool.
/// </summary>
public sealed class DeployToolsFactAttribute : FactAttribute
{
    public DeployToolsFactAttribute()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        if (!ExternalCommand.IsOnPath("kubectl"))
        {
            Skip = "kubectl is not on PATH: install it (it carries kustomize) to render deploy/.";
        }
        else if (!AspirateTool.IsPresent)
        {
            Skip = $"aspirate is not at {AspirateTool.Path}: these tests run the real tool (docs/deployment.md).";
        }
    }
}
