using Garnet;
using Microsoft.Extensions.Logging;

namespace OrderBookSweep.EmbeddedRedis;

/// <summary>
/// A Redis-compatible server (Microsoft Garnet) running inside the current process: the
/// zero-install Redis for <c>dotnet run</c> and for tests.
/// </summary>
/// <remarks>
/// Garnet runs Lua scripts atomically across connections only with
/// <c>--lua-transaction-mode true</c>; without it a cap-5 Lua semaphore was measured granting
/// 7 permits. In that mode Garnet locks only the keys a script names in KEYS, which is why every
/// script of OrderBookSweep passes every key it touches in KEYS.
/// </remarks>
public sealed class EmbeddedGarnetServer : IDisposable
{
    private readonly GarnetServer _server;
    private int _disposed;

    private EmbeddedGarnetServer(GarnetServer server, int port, string? password)
    {
        _server = server;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string? Password { get; }

    /// <summary>A StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => Password is null
        ? $"127.0.0.1:{Port}"
        : $"127.0.0.1:{Port},password={Password}";

    /// <summary>Starts a server on 127.0.0.1; port 0 picks a free one.</summary>
    public static EmbeddedGarnetServer Start(int port = 0, string? password = null, ILoggerFactory? loggerFactory = null)
    {
        if (port == 0)
        {
            port = LoopbackPort.Free();
        }

        var args = new List<string>
        {
            "--bind", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lua", "true",
            "--lua-transaction-mode", "true",
            // A small hash index: the data set is a few thousand keys, not millions.
            "--index", "1m",
        };
        if (password is not null)
        {
            args.AddRange(["--auth", "Password", "--password", password]);
        }

        var server = new GarnetServer([.. args], loggerFactory);
        try
        {
            server.Start();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return new EmbeddedGarnetServer(server, port, password);
    }

    /// <summary>Stops the server; a second call does nothing (Garnet's own Dispose throws when called twice).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _server.Dispose();
        }
    }
}
