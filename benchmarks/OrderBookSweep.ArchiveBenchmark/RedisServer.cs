using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.ArchiveBenchmark;

/// <summary>redis-server (on PATH) on a free port, without persistence, for the length of the run.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        ConnectionString = $"127.0.0.1:{port}";
    }

    public string ConnectionString { get; }

    public static async Task<RedisServer> StartAsync()
    {
        var port = LoopbackPort.Free();
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new RedisServer(process, port);
            }
            catch (SocketException) when (attempt < 500 && !process.HasExited)
            {
                await Task.Delay(20);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
