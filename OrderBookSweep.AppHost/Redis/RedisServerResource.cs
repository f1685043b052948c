using System.Globalization;

namespace OrderBookSweep.AppHost.Redis;

/// <summary>
/// A redis-server from PATH as a process the AppHost starts (no container engine needed), with
/// AOF persistence so a restart of it loses no queued job.
/// </summary>
public sealed class RedisServerResource(string name, string workingDirectory, int port, string password)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    public int Port { get; } = port;

    internal string Password { get; } = password;

    /// <summary>Known before start: the port is chosen and the password generated up front.</summary>
    internal string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},password={Password}";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}
