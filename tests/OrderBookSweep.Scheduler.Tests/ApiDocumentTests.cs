using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>
/// The OpenAPI document the scheduler serves, against what people read and run: the route table of
/// docs/api.md and the requests of OrderBookSweep.Scheduler.http. A new endpoint needs a row in
/// the table; nothing here lists routes.
/// </summary>
public sealed partial class ApiDocumentTests(SchedulerApp app) : IClassFixture<SchedulerApp>
{
    [Fact]
    public async Task The_docs_route_table_lists_exactly_the_routes_of_the_OpenAPI_document()
    {
        var served = (await OperationsAsync()).Select(o => o.Route).ToHashSet(StringComparer.Ordinal);
        var documented = DocumentedRoutes().ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(documented);

        Assert.True(served.SetEquals(documented),
            $"Served but not in docs/api.md's table: {string.Join(", ", served.Except(documented).Order())}. " +
            $"In the table but not served: {string.Join(", ", documented.Except(served).Order())}.");
    }

    [Fact]
    public async Task Every_operation_names_its_success_and_answers_every_error_with_a_problem()
    {
        var operations = await OperationsAsync();
        Assert.NotEmpty(operations);
        foreach (var (route, responses) in operations)
        {
            Assert.True(responses.Keys.Any(status => status[0] == '2'), $"{route} names no success answer.");
            Assert.Contains("500", responses.Keys);
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                Assert.True(
                    response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _),
                    $"{route} answers {status} without an application/problem+json body.");
            }
        }
    }

    [Fact]
    public async Task Every_request_of_the_http_file_answers_as_its_operation_documents()
    {
        var operations = (await OperationsAsync()).ToDictionary(o => o.Route, o => o.Responses, StringComparer.Ordinal);
        var requests = HttpFileRequests();
        Assert.NotEmpty(requests);
        using var client = app.CreateClient();
        foreach (var (method, target, body) in requests)
        {
            var responses = Match(operations, method, new Uri(client.BaseAddress!, target).AbsolutePath);
            Assert.True(responses is not null, $"{method} {target} matches no operation of the document.");
            using var request = new HttpRequestMessage(new HttpMethod(method), target);
            if (body is not null)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            }

            using var answer = await client.SendAsync(request);
            var status = ((int)answer.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(responses.ContainsKey(status), $"{method} {target} answered {status}, which its operation does not document.");
        }
    }

    [Fact]
    public async Task The_interactive_reference_is_served_under_dotnet_run()
    {
        using var client = app.CreateClient();
        using var page = await client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"url\":\"openapi/v1.json\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Its script comes from the package, not from a CDN: the reference works offline.
        using var script = await client.GetAsync("/scalar/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    /// <summary>Each operation as "METHOD /path" (parameters as <c>{}</c>) with its responses by status.</summary>
    private async Task<List<(string Route, Dictionary<string, JsonElement> Responses)>> OperationsAsync()
    {
        using var client = app.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var operations = new List<(string, Dictionary<string, JsonElement>)>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => HttpMethods.Contains(o.Name.ToUpperInvariant())))
            {
                var responses = operation.Value.TryGetProperty("responses", out var r)
                    ? r.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.Clone(), StringComparer.Ordinal)
                    : [];
                operations.Add(($"{operation.Name.ToUpperInvariant()} {Normalize(path.Name)}", responses));
            }
        }

        return operations;
    }

    /// <summary>Every <c>`METHOD /path`</c> in the first column of docs/api.md's route tables (those headed <c>| request |</c>).</summary>
    private static IEnumerable<string> DocumentedRoutes()
    {
        var rows = new List<string>();
        var table = false;
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "api.md")))
        {
            if (line.StartsWith("| request |", StringComparison.Ordinal))
            {
                table = true;
            }
            else if (!line.StartsWith('|'))
            {
                table = false;
            }
            else if (table && !line.StartsWith("|---", StringComparison.Ordinal))
            {
                rows.Add(line);
            }
        }

        foreach (var row in rows)
        {
            var request = row.Split('|')[1];
            foreach (Match route in DocumentedRoute().Matches(request))
            {
                yield return $"{route.Groups[1].Value} {Normalize(route.Groups[2].Value)}";
            }
        }
    }

    /// <summary>The requests of the .http file: a request line, headers, a blank line, a body, up to <c>###</c>.</summary>
    private static List<(string Method, string Target, string? Body)> HttpFileRequests()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "OrderBookSweep.Scheduler.http"));
        var variables = lines.Select(l => HttpFileVariable().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);
        string Expand(string text) => HttpFileReference().Replace(text, m => variables[m.Groups[1].Value]);
        var requests = new List<(string, string, string?)>();
        foreach (var block in string.Join('\n', lines).Split("###"))
        {
            var blockLines = block.Split('\n').Where(l => !l.TrimStart().StartsWith('#') && !l.TrimStart().StartsWith("//", StringComparison.Ordinal) && !HttpFileVariable().IsMatch(l)).ToList();
            var start = blockLines.FindIndex(l => HttpFileRequestLine().IsMatch(l));
            if (start < 0)
            {
                continue;
            }

            var line = HttpFileRequestLine().Match(blockLines[start]);
            var blank = blockLines.FindIndex(start, string.IsNullOrWhiteSpace);
            var body = blank < 0 ? null : string.Join('\n', blockLines.Skip(blank + 1)).Trim();
            var target = new Uri(Expand(line.Groups[2].Value)).PathAndQuery;
            requests.Add((line.Groups[1].Value, target, string.IsNullOrEmpty(body) ? null : Expand(body)));
        }

        return requests;
    }

    /// <summary>A route as both sides can compare it: parameters as <c>{}</c>, no trailing slash.</summary>
    private static string Normalize(string path)
    {
        var normalized = RouteParameter().Replace(path, "{}");
        return normalized.Length > 1 ? normalized.TrimEnd('/') : normalized;
    }

    /// <summary>The responses of the operation a concrete request reaches: a literal route first, else one whose parameters fit.</summary>
    private static Dictionary<string, JsonElement>? Match(Dictionary<string, Dictionary<string, JsonElement>> operations, string method, string path)
    {
        var exact = $"{method} {Normalize(path)}";
        if (operations.TryGetValue(exact, out var responses))
        {
            return responses;
        }

        var segments = Normalize(path).Split('/');
        return operations
            .Where(o => o.Key.StartsWith(method + " ", StringComparison.Ordinal))
            .Select(o => (Template: o.Key[(method.Length + 1)..].Split('/'), o.Value))
            .Where(o => o.Template.Length == segments.Length && o.Template.Zip(segments).All(p => p.First == "{}" || p.First == p.Second))
            .OrderBy(o => o.Template.Count(t => t == "{}"))
            .Select(o => o.Value)
            .FirstOrDefault();
    }

    private static readonly HashSet<string> HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    [GeneratedRegex(@"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?]*)")]
    private static partial Regex DocumentedRoute();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"^\s*(GET|POST|PUT|PATCH|DELETE)\s+(\S+)")]
    private static partial Regex HttpFileRequestLine();

    [GeneratedRegex(@"^@([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")]
    private static partial Regex HttpFileVariable();

    [GeneratedRegex(@"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")]
    private static partial Regex HttpFileReference();
}
