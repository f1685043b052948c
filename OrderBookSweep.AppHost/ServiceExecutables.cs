using System.Reflection;

namespace OrderBookSweep.AppHost;

/// <summary>
/// Starts each service, under <c>dotnet run</c>, from the executable the AppHost's own build has
/// just made, as <c>dotnet run</c> itself would start it. Aspire's default, <c>dotnet run
/// --no-build --project ...</c> per replica, first evaluates the project with MSBuild: about 4
/// CPU-seconds each, five at once on a small machine, for a build check that <c>--no-build</c>
/// skips anyway (figures: docs/performance.md). Nothing is skipped that the user needs: the
/// services are the AppHost's project references, so building the AppHost builds them first.
/// </summary>
/// <remarks>
/// The paths come from the AppHost's build (its <c>RecordServiceExecutables</c> target).
/// Publish mode is untouched (the manifest describes projects, not executables), and under an IDE
/// debug session Aspire hands project resources to the IDE, which ignores this.
/// </remarks>
public static class ServiceExecutables
{
    private const string MetadataPrefix = "ServiceExecutable:";

    private static readonly Dictionary<string, string> ByProject = typeof(ServiceExecutables).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal) && a.Value is not null)
        .ToDictionary(a => Path.GetFullPath(a.Key[MetadataPrefix.Length..]), a => a.Value!, StringComparer.Ordinal);

    /// <summary>Run mode: start <paramref name="project"/> from its built executable.</summary>
    public static IResourceBuilder<ProjectResource> StartedFromBuildOutput(this IResourceBuilder<ProjectResource> project)
    {
        // Under `dotnet watch` (DOTNET_WATCH true or 1, as Aspire reads it) Aspire starts each service
        // through `dotnet watch` too, which rebuilds it on a change: a build the user asked for.
        var watch = project.ApplicationBuilder.Configuration["DOTNET_WATCH"];
        if (!project.ApplicationBuilder.ExecutionContext.IsRunMode
            || (bool.TryParse(watch, out var watching) ? watching : int.TryParse(watch, out var flag) && flag != 0))
        {
            return project;
        }

        var projectPath = Path.GetFullPath(project.Resource.GetProjectMetadata().ProjectPath);
        var executable = ByProject.GetValueOrDefault(projectPath)
            ?? throw new InvalidOperationException($"The AppHost's build recorded no executable for {projectPath}: is it a ProjectReference with OutputItemType=\"ServiceBuildOutput\" in OrderBookSweep.AppHost.csproj?");

        // The working directory `dotnet run` gives it: the project's folder, its content root.
        return project.WithAnnotation(
            new ExecutableAnnotation { Command = executable, WorkingDirectory = Path.GetDirectoryName(projectPath)! },
            ResourceAnnotationMutationBehavior.Replace);
    }
}
