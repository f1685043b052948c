using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.AppHost.Redis;

public static class RedisResourceExtensions
{
    /// <summary>
    /// The Redis every service shares, by <see cref="RedisMode"/>; in publish mode always Aspire's
    /// Redis container (what aspirate deploys). A set ConnectionStrings:redis wins over all: an
    /// external Redis.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddSweepRedis(
        this IDistributedApplicationBuilder builder, string name, RedisMode mode)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // The volume makes aspirate emit a StatefulSet with a claim; without it Redis loses the queue on restart.
            return builder.AddRedis(name).WithDataVolume($"{name}-data").WithPersistence().WithPasswordAsSecret();
        }

        if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString(name)))
        {
            return builder.AddConnectionString(name);
        }

        return mode switch
        {
            RedisMode.Embedded => builder.AddEmbeddedRedis(name),
            RedisMode.Server => builder.AddRedisServer(name),
            RedisMode.Container => builder.AddRedis(name).WithPersistence(),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    /// <summary>
    /// An in-process Garnet server on a free loopback port, with a fresh password each run.
    /// It starts when the application starts and stops with the AppHost.
    /// </summary>
    public static IResourceBuilder<EmbeddedRedisResource> AddEmbeddedRedis(this IDistributedApplicationBuilder builder, string name)
    {
        var resource = new EmbeddedRedisResource(name, LoopbackPort.Free(), NewPassword());
        builder.Services.AddSingleton<EmbeddedRedisHost>();

        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, async (e, cancellationToken) =>
        {
            await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(resource, e.Services), cancellationToken);
            await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Starting });
            try
            {
                e.Services.GetRequiredService<EmbeddedRedisHost>().Start(resource.Port, resource.Password);
            }
            catch (Exception ex)
            {
                e.Logger.LogError(ex, "Embedded Garnet could not start on port {Port}", resource.Port);
                await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart });
                return;
            }

            e.Logger.LogInformation("Embedded Garnet listening on 127.0.0.1:{Port} (Lua transaction mode on)", resource.Port);
            await e.Notifications.PublishUpdateAsync(resource, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
                Urls = [new UrlSnapshot("tcp", $"tcp://127.0.0.1:{resource.Port}", IsInternal: false)],
            });
            await e.Eventing.PublishAsync(new ConnectionStringAvailableEvent(resource, e.Services), cancellationToken);
        });

        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Garnet",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .WithRedisHealthCheck(resource.ConnectionString)
            .ExcludeFromManifest();
    }

    /// <summary>redis-server from PATH with AOF in <c>Redis:DataDirectory</c> (default: a temp folder).</summary>
    public static IResourceBuilder<RedisServerResource> AddRedisServer(this IDistributedApplicationBuilder builder, string name)
    {
        var dataDirectory = builder.Configuration["Redis:DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Path.GetTempPath(), "orderbooksweep", name);
        Directory.CreateDirectory(dataDirectory);

        var resource = new RedisServerResource(name, dataDirectory, LoopbackPort.Free(), NewPassword());

        // The password goes in a config file only the owner can read, not on the command line
        // (where ps and the dashboard would show it).
        var configFile = Path.Combine(dataDirectory, "redis.conf");
        File.WriteAllText(configFile, $"requirepass {resource.Password}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return builder.AddResource(resource)
            .WithArgs(configFile, "--port", resource.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1", "--dir", dataDirectory,
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "")
            .WithRedisHealthCheck(resource.ConnectionString)
            .ExcludeFromManifest();
    }

    private static IResourceBuilder<T> WithRedisHealthCheck<T>(this IResourceBuilder<T> builder, string connectionString)
        where T : IResource
    {
        var checkName = $"{builder.Resource.Name}_ping";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddRedis(connectionString, checkName);
        return builder.WithHealthCheck(checkName);
    }

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

/// <summary>Owns the embedded Garnet server so the AppHost's container disposes it on shutdown.</summary>
internal sealed class EmbeddedRedisHost : IDisposable
{
    private EmbeddedGarnetServer? _server;

    public void Start(int port, string password) => _server = EmbeddedGarnetServer.Start(port, password);

    public void Dispose() => _server?.Dispose();
}
