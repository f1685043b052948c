using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>
/// A TCP relay on a loopback port in front of a real server. While held, it stops passing the
/// clients' bytes on (it keeps them, in order, for the release): the server receives no command
/// and the clients get no answer, which is what a stalled server looks like from the client.
/// </summary>
public sealed class StallingRelay : ITestServer, IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private TaskCompletionSource _open = Opened();

    public StallingRelay(ITestServer upstream)
    {
        var endpoint = ConfigurationOptions.Parse(upstream.ConnectionString).EndPoints.Single();
        (_upstreamHost, _upstreamPort) = endpoint switch
        {
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            DnsEndPoint dns => (dns.Host, dns.Port),
            _ => throw new ArgumentException($"Unsupported endpoint {endpoint}.", nameof(upstream)),
        };
        _listener.Start();
        _ = AcceptAsync();
    }

    public string ConnectionString => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Stops passing the clients' bytes on until <see cref="Release"/>.</summary>
    public void Hold()
    {
        var open = Volatile.Read(ref _open);
        if (open.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), open);
        }
    }

    /// <summary>Passes on what was held, then everything as it comes.</summary>
    public void Release() => Volatile.Read(ref _open).TrySetResult();

    public void Dispose()
    {
        _stop.Cancel();
        Release();
        _listener.Stop();
        _stop.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed.
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
                var toServer = PumpAsync(client.GetStream(), server.GetStream(), holdable: true);
                var toClient = PumpAsync(server.GetStream(), client.GetStream(), holdable: false);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // Either side closed, or the relay was disposed: the other side is closed with it.
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool holdable)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (holdable)
                {
                    await Volatile.Read(ref _open).Task.WaitAsync(_stop.Token);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Closed.
        }
    }
}
