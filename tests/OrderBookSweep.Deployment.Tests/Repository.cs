namespace OrderBookSweep.Deployment.Tests;

/// <summary>Paths in the repository the tests run from (found by walking up to the solution file).</summary>
internal static class Repository
{
    public static string Root => OrderBookSweep.Harness.PublishedWorker.RepositoryRoot;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A project's built assembly, in the configuration and framework these tests were built for.</summary>
    public static string BuiltAssembly(string project)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = PathOf(project, "bin", framework.Parent!.Name, framework.Name, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built (expected {path}).");
    }
}
