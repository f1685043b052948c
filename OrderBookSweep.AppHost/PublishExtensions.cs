namespace OrderBookSweep.AppHost;

/// <summary>
/// Publish-mode shaping of the manifest for aspirate, which turns it into Kubernetes objects.
/// aspirate moves an env var into a Secret only when its name starts with "ConnectionString"
/// (every other value lands in a plain ConfigMap), so secrets travel under such names.
/// </summary>
public static class PublishExtensions
{
    /// <summary>The Redis password's env name in the container: a Secret for aspirate, and a valid shell name for the entrypoint.</summary>
    public const string RedisPasswordVariable = "ConnectionStrings__REDIS_PASSWORD";

    /// <summary>
    /// The env var the Redis command line reads its memory cap and eviction policy from. Left unset
    /// here: the cap belongs next to the container's memory limit, so deploy/ sets both.
    /// </summary>
    public const string RedisMemoryVariable = "REDIS_MEMORY";

    /// <summary>The scheduler's API key as a connection string, read by the scheduler as <c>GetConnectionString("scheduler-api-key")</c>.</summary>
    public const string ApiKeyConnectionName = "scheduler-api-key";

    /// <summary>
    /// Moves the Redis container's password from REDIS_PASSWORD (which aspirate would write into a
    /// ConfigMap) to <see cref="RedisPasswordVariable"/>, in the env and in the <c>/bin/sh -c</c>
    /// command line that reads it. Also turns on the append-only file, so queued and leased jobs
    /// survive a restart (the snapshot every 60 s alone loses up to a minute), and reads
    /// <see cref="RedisMemoryVariable"/> for the memory settings. The AOF flags sit in
    /// a plain env var on purpose: aspirate writes a broken Deployment for a container whose env is
    /// only secrets, and operators can tune them in the ConfigMap.
    /// </summary>
    public static IResourceBuilder<RedisResource> WithPasswordAsSecret(this IResourceBuilder<RedisResource> redis) =>
        redis
            .WithEnvironment(context =>
            {
                if (!context.EnvironmentVariables.Remove("REDIS_PASSWORD", out var password))
                {
                    throw new InvalidOperationException("Aspire's Redis container no longer sets REDIS_PASSWORD: revisit WithPasswordAsSecret.");
                }
                context.EnvironmentVariables[RedisPasswordVariable] = password;
                context.EnvironmentVariables["REDIS_PERSISTENCE"] = "--appendonly yes --appendfsync everysec";
            })
            .WithArgs(context =>
            {
                var commandLine = context.Args.OfType<string>().FirstOrDefault(arg => arg.Contains("$REDIS_PASSWORD", StringComparison.Ordinal))
                    ?? throw new InvalidOperationException("Aspire's Redis command line no longer reads $REDIS_PASSWORD: revisit WithPasswordAsSecret.");
                context.Args[context.Args.IndexOf(commandLine)] =
                    commandLine.Replace("$REDIS_PASSWORD", $"${RedisPasswordVariable} $REDIS_PERSISTENCE ${RedisMemoryVariable}", StringComparison.Ordinal);
            });

    /// <summary>
    /// Builds the project's image from a Dockerfile (a path from the repository root, which is the
    /// build context: the project needs the shared projects and Directory.*.props) instead of the
    /// SDK's container support, for an image that carries more than .NET (the worker's Node + ccxt).
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishAsDockerImage(this IResourceBuilder<ProjectResource> project, string dockerfileFromRepositoryRoot) =>
        project.PublishAsDockerFile(container => container.WithDockerfile("..", dockerfileFromRepositoryRoot));

    /// <summary>
    /// Drops the https endpoint Aspire adds to projects in publish mode: the services serve plain
    /// http on 8080 inside the cluster (TLS ends at the ingress), and on a Dockerfile-built project
    /// both endpoints get target port 8080, which aspirate turns into a Service with a duplicate port.
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishHttpOnly(this IResourceBuilder<ProjectResource> project)
    {
        project.Resource.Annotations.OfType<EndpointAnnotation>()
            .Where(endpoint => endpoint.UriScheme == "https")
            .ToList()
            .ForEach(endpoint => project.Resource.Annotations.Remove(endpoint));
        return project;
    }

    /// <summary>
    /// Guards the scheduler's mutating endpoints with an API key from a secret parameter (no
    /// default: aspirate asks for it, or takes <c>--parameter scheduler-api-key=...</c>). Passed as
    /// a connection string so that aspirate keeps it in a Secret.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithApiKey(this IResourceBuilder<ProjectResource> scheduler, IResourceBuilder<ParameterResource> apiKey) =>
        scheduler.WithEnvironment($"ConnectionStrings__{ApiKeyConnectionName}", apiKey);
}
