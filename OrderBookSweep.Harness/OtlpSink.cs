using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderBookSweep.Harness;

/// <summary>
/// A real OTLP/HTTP endpoint on loopback that keeps what the services export, so a test can
/// check that spans and metrics with given names left the services (protobuf keeps names as
/// plain UTF-8, so a byte search finds them).
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _received = new();

    private OtlpSink(WebApplication app) => _app = app;

    public string Endpoint => _app.Urls.Single();

    public static async Task<OtlpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var sink = new OtlpSink(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            sink._received.GetOrAdd(signal, _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());
            return Results.Ok();
        });
        await app.StartAsync();
        return sink;
    }

    /// <summary>Whether any export of <paramref name="signal"/> (traces, metrics, logs) mentions <paramref name="name"/>.</summary>
    public bool Saw(string signal, string name)
    {
        var needle = Encoding.UTF8.GetBytes(name);
        return _received.TryGetValue(signal, out var exports) && exports.Any(e => e.AsSpan().IndexOf(needle) >= 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
