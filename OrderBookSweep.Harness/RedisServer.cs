using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.Harness;

/// <summary>
/// A real redis-server (on PATH) on its own free loopback port, without persistence except an
/// explicit SAVE into its own directory, which a restart reloads (a crash of a server that
/// persists by snapshots). Killed, and its directory deleted, on dispose.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("obs-redis-").FullName;
    private readonly IReadOnlyList<string> _settings;
    private Process? _process;

    private RedisServer(IReadOnlyList<string> settings) => _settings = settings;

    public int Port { get; } = LoopbackPort.Free();

    public string ConnectionString => $"127.0.0.1:{Port}";

    private string LogFile => Path.Combine(_directory, "redis.log");

    /// <param name="settings">More redis-server arguments, e.g. <c>--maxmemory 8mb</c>.</param>
    public static async Task<RedisServer> StartAsync(params string[] settings)
    {
        var server = new RedisServer(settings);
        try
        {
            await server.RestartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server again after <see cref="KillAsync"/>, and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false };
        string[] arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", _directory, "--dbfilename", "dump.rdb", "--logfile", LogFile, .. _settings,
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _process?.Dispose();
        var process = _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        await Eventually.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} (its log: {LogFile}).");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, Port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            },
            $"redis-server to accept connections on port {Port}",
            StartTimeout,
            interval: TimeSpan.FromMilliseconds(20));
    }

    /// <summary>Kills the server abruptly (SIGKILL: no save, connections cut).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
