using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OrderBookSweep.EmbeddedRedis;
using OrderBookSweep.Harness;
using OrderBookSweep.Harness.Rehearsals;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// A built or published service started as its container's entrypoint would start it
/// (<c>dotnet Service.dll</c>, or a native executable itself), outside a container, on a free
/// loopback port; killed on dispose.
/// </summary>
internal sealed class RunningService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private RunningService(string path, IReadOnlyDictionary<string, string> environment)
    {
        var port = LoopbackPort.Free();
        var startInfo = new ProcessStartInfo(path.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : path)
        {
            WorkingDirectory = Path.GetDirectoryName(path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        if (startInfo.FileName == "dotnet")
        {
            startInfo.ArgumentList.Add(path);
        }

        _process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {path}.");
        _process.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public HttpClient Http { get; }

    /// <param name="path">An assembly (<c>.dll</c>, run by <c>dotnet</c>) or a native executable.</param>
    public static RunningService Start(string path, IReadOnlyDictionary<string, string> environment) => new(path, environment);

    /// <summary>Polls a path until it answers 200; fails with the service's log if it exits or the time runs out.</summary>
    public async Task<TimeSpan> WaitForOkAsync(string path, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var last = "no answer";
        var answered = await Eventually.TryUntilAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new Xunit.Sdk.XunitException($"The service exited with {_process.ExitCode}:\n{Log}");
                }
                try
                {
                    using var response = await Http.GetAsync(path);
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException e)
                {
                    last = e.Message;
                }
                catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
                {
                    // A starting service on a busy machine may take longer than one request's timeout: ask again.
                    last = e.Message;
                }
                return false;
            },
            timeout,
            interval: TimeSpan.FromMilliseconds(250));
        return answered ? watch.Elapsed : throw new Xunit.Sdk.XunitException($"{path} did not answer 200 within {timeout} (last: {last}):\n{Log}");
    }

    /// <summary>VmRSS of the service and the processes it started (Linux /proc; 0 elsewhere).</summary>
    public double ResidentMegabytes() => ProcFs.RssMiB(_process.Id) + ProcFs.DescendantsOf(_process.Id).Sum(ProcFs.RssMiB);

    private string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
