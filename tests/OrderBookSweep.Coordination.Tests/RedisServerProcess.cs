using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>
/// A real redis-server (Debian package) on its own free port, without persistence except an
/// explicit SAVE into its own directory (which a restart reloads: the restart test's "lost
/// writes since the last snapshot").
/// </summary>
public sealed class RedisServerProcess : ITestServer, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("obs-redis-").FullName;
    private Process? _process;

    public int Port { get; } = LoopbackPort.Free();

    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--dbfilename", "dump.rdb", "--logfile", Path.Combine(_directory, "redis.log") })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10) && !_process.HasExited)
            {
                await Task.Delay(20);
            }
        }
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

    public async Task DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
