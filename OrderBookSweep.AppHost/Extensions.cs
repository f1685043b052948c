using Microsoft.Extensions.Configuration;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.AppHost;

/// <summary>How the services are wired to Redis, to the operator's settings and to the dashboard.</summary>
public static class Extensions
{
    /// <summary>
    /// The Redis connection, and nothing else: only ConnectionStrings__redis is injected (not
    /// REDIS_HOST/PORT/PASSWORD/URI), so the password travels inside the connection string, which
    /// aspirate keeps in a Secret. The flags must come before <c>WithReference</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRedis(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithConnectionString> redis) =>
        project
            .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString)
            .WithReference(redis)
            .WaitFor(redis);

    /// <summary>
    /// The AppHost's own <paramref name="section"/> (e.g. <c>--Sweep:Interval=00:05:00</c>) handed to
    /// the project as its environment, key by key, so that one setting has one key everywhere. The
    /// project binds and validates the section when it starts; the AppHost does not read it. Keys
    /// that moved elsewhere (<see cref="RenamedSettings"/>) stay behind.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettingsSection(this IResourceBuilder<ProjectResource> project, string section)
    {
        foreach (var (key, value) in project.ApplicationBuilder.Configuration.GetSection(section).AsEnumerable())
        {
            if (value is not null && !RenamedSettings.IsOld(key))
            {
                project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }
        return project;
    }

    /// <summary>
    /// Under <c>dotnet run</c>, the scheduler archives sweeps into the repository's data/archive
    /// folder, or the AppHost's <c>Archive:Path</c> (tests give each run its own). A deployment
    /// mounts its volume there instead (deploy/).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithArchiveFolder(this IResourceBuilder<ProjectResource> scheduler)
    {
        var builder = scheduler.ApplicationBuilder;
        return builder.ExecutionContext.IsRunMode
            ? scheduler.WithEnvironment("Archive__Path", builder.Configuration["Archive:Path"] is { Length: > 0 } configured
                ? configured
                : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "data", "archive")))
            : scheduler;
    }

    /// <summary>
    /// The simulator listens on its port itself, with no DCP proxy in front: it answers thousands of
    /// ccxt requests a second, and relaying them costs DCP a noticeable share of a small machine's
    /// CPU (figures: docs/performance.md). It runs as one replica, so there is nothing to balance. The port is the launch profile's (5190); where the AppHost randomizes
    /// ports (the test host), a free one, so that test runs and a running AppHost do not collide.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithUnproxiedHttpEndpoint(this IResourceBuilder<ProjectResource> project)
    {
        var randomize = project.ApplicationBuilder.Configuration.GetValue<bool>("DcpPublisher:RandomizePorts");
        return project.WithEndpoint("http", endpoint =>
        {
            endpoint.IsProxied = false;
            endpoint.Port = randomize || endpoint.Port is null ? LoopbackPort.Free() : endpoint.Port;
            endpoint.TargetPort = endpoint.Port;
        });
    }

    /// <summary>
    /// Points the workers' ccxt at the simulator (simulating) or at a configured stand-in;
    /// otherwise they talk to the real exchanges. The workers do not wait for the simulator: they
    /// start beside it, and publish the catalog (which no sweep starts without) once it answers.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithExchangeRedirect(
        this IResourceBuilder<ProjectResource> worker, AppHostSettings settings, IResourceBuilder<ProjectResource>? simulator)
    {
        if (simulator is not null)
        {
            return worker.WithEnvironment("Exchanges__RedirectBaseUrl", simulator.GetEndpoint("http"));
        }

        return settings.RedirectBaseUrl is { } url
            ? worker.WithEnvironment("Exchanges__RedirectBaseUrl", url)
            : worker;
    }

    /// <summary>The sweep board, which the scheduler serves, as a link on its row in the dashboard.</summary>
    public static IResourceBuilder<ProjectResource> WithSweepBoardLink(this IResourceBuilder<ProjectResource> scheduler) =>
        scheduler.WithUrlForEndpoint("http", endpoint => new() { Url = endpoint.Url + "/board/", DisplayText = "Sweep board" });

    /// <summary>Dashboard buttons on the scheduler: start / cancel a sweep, pause / resume the interval.</summary>
    public static IResourceBuilder<ProjectResource> WithSweepCommands(this IResourceBuilder<ProjectResource> scheduler) =>
        scheduler
            .WithHttpCommand("/api/sweeps", "Start sweep", commandName: "start-sweep", commandOptions: new()
            {
                Method = HttpMethod.Post,
                IconName = "Play",
                Description = "Sweep the configured exchanges now (refused while a sweep is running).",
            })
            .WithHttpCommand("/api/sweeps/latest", "Cancel sweep", commandName: "cancel-sweep", commandOptions: new()
            {
                Method = HttpMethod.Delete,
                IconName = "Stop",
                ConfirmationMessage = "Cancel the running sweep? Queued exchanges end as cancelled.",
            })
            .WithHttpCommand("/api/schedule/pause", "Pause interval", commandName: "pause-interval", commandOptions: new()
            {
                Method = HttpMethod.Post,
                IconName = "Pause",
                Description = "Stop starting interval sweeps (a running sweep goes on).",
            })
            .WithHttpCommand("/api/schedule/resume", "Resume interval", commandName: "resume-interval", commandOptions: new()
            {
                Method = HttpMethod.Post,
                IconName = "ArrowClockwise",
            });
}
