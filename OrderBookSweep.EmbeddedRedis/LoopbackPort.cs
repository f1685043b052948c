using System.Net;
using System.Net.Sockets;

namespace OrderBookSweep.EmbeddedRedis;

/// <summary>
/// A free TCP port on 127.0.0.1: for the embedded server, for processes the AppHost starts
/// without DCP's proxy in front, and for the servers tests and benchmarks start.
/// </summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
