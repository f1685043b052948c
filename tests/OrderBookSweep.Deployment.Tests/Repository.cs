namespace OrderBookSweep.Deployment.Tests;

/// <summary>Paths in the repository the tests run from (found by walking up to the solution file).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrderBookSweep.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No OrderBookSweep.sln above {AppContext.BaseDirectory}.");
    }
}
