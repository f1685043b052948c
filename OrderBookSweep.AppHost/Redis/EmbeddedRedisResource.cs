using System.Globalization;

namespace OrderBookSweep.AppHost.Redis;

/// <summary>
/// Redis for <c>dotnet run</c> with nothing installed: a Garnet server inside the AppHost's own
/// process, shown in the dashboard as the "redis" resource with its state and health.
/// </summary>
public sealed class EmbeddedRedisResource(string name, int port, string password) : Resource(name), IResourceWithConnectionString
{
    public int Port { get; } = port;

    internal string Password { get; } = password;

    /// <summary>Known before start: the port is chosen and the password generated up front.</summary>
    internal string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},password={Password}";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}
