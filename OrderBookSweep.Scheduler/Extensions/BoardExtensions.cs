using Microsoft.Extensions.FileProviders;

namespace OrderBookSweep.Scheduler.Extensions;

/// <summary>The sweep board: static files under /board that read and drive the scheduler's API.</summary>
public static class BoardExtensions
{
    public const string Path = "/board";

    /// <summary>
    /// The page may load script, style and data only from this origin, never runs inline script
    /// and cannot be framed: exchange and Redis strings are only ever written as text, and this
    /// policy stops an injected tag from running even if one slipped through.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplication MapSweepBoard(this WebApplication app)
    {
        var files = new PhysicalFileProvider(System.IO.Path.Combine(AppContext.BaseDirectory, "board"));
        // The page's relative links (lib/, ../api/) need the trailing slash.
        app.Use((context, next) =>
        {
            if (context.Request.Path.Value == Path)
            {
                context.Response.Redirect(Path + "/");
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Path,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // A new build's page and script must not be mixed with a cached older one.
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
