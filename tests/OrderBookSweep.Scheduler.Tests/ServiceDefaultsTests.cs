using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>
/// The service defaults keep the probes that arrive every few seconds out of the traces, the
/// Information logs and the request metrics, while other requests are still traced. A real
/// Kestrel server on a free loopback port, called over HTTP.
/// </summary>
public sealed class ServiceDefaultsTests
{
    private static readonly string[] ProbePaths = ["/health", "/alive"];

    [Fact]
    public async Task Probes_are_not_traced_logged_at_information_or_counted()
    {
        var service = await ProbedService.StartAsync();
        foreach (var path in ProbePaths)
        {
            (await service.Client.GetAsync(path)).EnsureSuccessStatusCode();
        }
        (await service.Client.GetAsync("/work")).EnsureSuccessStatusCode();
        await service.StopAsync();

        // What the capture sees: the ordinary request is traced and counted, and the host logs its start.
        Assert.Contains("/work", service.ServerSpanPaths);
        Assert.Contains("/work", service.CountedRoutes);
        Assert.Contains(service.Logs, log => log.Category == "Microsoft.Hosting.Lifetime");

        Assert.DoesNotContain(service.ServerSpanPaths, ProbePaths.Contains);
        Assert.DoesNotContain(service.CountedRoutes, ProbePaths.Contains);
        Assert.DoesNotContain(service.Logs, log => log.Level >= LogLevel.Information && ProbePaths.Any(log.Message.Contains));
    }

    [Fact]
    public async Task A_configured_level_brings_request_logs_back()
    {
        var service = await ProbedService.StartAsync("--Logging:LogLevel:Microsoft.AspNetCore=Information");
        (await service.Client.GetAsync("/health")).EnsureSuccessStatusCode();
        await service.StopAsync();

        Assert.Contains(service.Logs, log => log.Level == LogLevel.Information && log.Message.Contains("/health"));
    }

    private sealed record CapturedLog(string Category, LogLevel Level, string Message);

    /// <summary>A web service with the defaults, its logs, server spans and request metrics captured.</summary>
    private sealed class ProbedService
    {
        // An empty content root: no appsettings.json decides the log levels for the defaults.
        private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("service-defaults-");
        private readonly MeterListener _meters = new();
        private WebApplication _app = null!;

        public HttpClient Client { get; private set; } = null!;

        public ConcurrentQueue<CapturedLog> Logs { get; } = new();

        public ConcurrentQueue<string> ServerSpanPaths { get; } = new();

        public ConcurrentQueue<string> CountedRoutes { get; } = new();

        public static async Task<ProbedService> StartAsync(params string[] args)
        {
            var service = new ProbedService();
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = service._contentRoot.FullName });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new CaptureLoggerProvider(service.Logs));
            builder.AddServiceDefaults();
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddProcessor(new ServerSpanCapture(service.ServerSpanPaths)));

            service._app = builder.Build();
            service._app.MapDefaultEndpoints();
            service._app.MapGet("/work", () => "done");
            service.ListenToRequestMetrics(service._app.Services.GetRequiredService<IMeterFactory>());
            await service._app.StartAsync();
            service.Client = new HttpClient { BaseAddress = new Uri(service._app.Urls.First()) };
            return service;
        }

        /// <summary>Stops the host, which first finishes every request's spans, logs and metrics.</summary>
        public async Task StopAsync()
        {
            Client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            _meters.Dispose();
            _contentRoot.Delete(recursive: true);
        }

        private void ListenToRequestMetrics(IMeterFactory ownMeters)
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == ownMeters && instrument.Name == "http.server.request.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<double>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "http.route" && tag.Value is string route)
                    {
                        CountedRoutes.Enqueue(route);
                    }
                }
            });
            _meters.Start();
        }
    }

    private sealed class ServerSpanCapture(ConcurrentQueue<string> paths) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity activity)
        {
            if (activity.Kind == ActivityKind.Server)
            {
                paths.Enqueue(activity.GetTagItem("url.path") as string ?? activity.DisplayName);
            }
        }
    }

    private sealed class CaptureLoggerProvider(ConcurrentQueue<CapturedLog> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CaptureLogger(categoryName, logs);

        public void Dispose()
        {
        }

        private sealed class CaptureLogger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception)));
        }
    }
}
