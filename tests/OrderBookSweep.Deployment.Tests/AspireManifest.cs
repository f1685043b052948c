using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The AppHost's publish-mode manifest (what aspirate reads), with the reference expressions
/// (<c>{resource.path}</c>) it contains resolved the way aspirate resolves them.
/// </summary>
public sealed partial class AspireManifest(JsonObject resources)
{
    public JsonObject Resources { get; } = resources;

    public IEnumerable<(string Name, JsonObject Resource)> All =>
        Resources.Select(pair => (pair.Key, (JsonObject)pair.Value!));

    public JsonObject this[string name] => (JsonObject)(Resources[name] ?? throw new KeyNotFoundException($"No resource '{name}' in the manifest."));

    public static string TypeOf(JsonObject resource) => (string)resource["type"]!;

    public static IEnumerable<(string Name, string Value)> EnvOf(JsonObject resource) =>
        resource["env"] is JsonObject env ? env.Select(pair => (pair.Key, (string)pair.Value!)) : [];

    /// <summary>Every <c>{...}</c> expression in a string.</summary>
    public static IEnumerable<string> ReferencesIn(string text) => ReferencePattern().Matches(text).Select(match => match.Groups[1].Value);

    /// <summary>
    /// Why a reference does not resolve, or null when it does: the resource must exist and be of a
    /// type aspirate processes, and the path must exist in it (bindings: a declared binding and one
    /// of the properties aspirate's binding processor knows).
    /// </summary>
    public string? WhyUnresolved(string reference)
    {
        var parts = reference.Split('.');
        if (parts.Length < 2)
        {
            return $"'{{{reference}}}' is not of the form resource.path";
        }
        if (Resources[parts[0]] is not JsonObject target)
        {
            return $"'{{{reference}}}' names no resource in the manifest";
        }
        if (!Aspirate.SupportedResourceTypes.Contains(TypeOf(target)))
        {
            return $"'{{{reference}}}' names a {TypeOf(target)}, which aspirate skips";
        }
        if (parts[1] == "bindings")
        {
            return parts.Length == 4 && target["bindings"]?[parts[2]] is JsonObject && parts[3] is "host" or "port" or "targetPort" or "url" or "scheme"
                ? null
                : $"'{{{reference}}}' is not a declared binding property";
        }

        JsonNode? node = target;
        foreach (var part in parts[1..])
        {
            node = (node as JsonObject)?[part];
        }
        return node is null ? $"'{{{reference}}}' has no such property" : null;
    }

    /// <summary>
    /// A value with its expressions replaced as aspirate replaces them (ResourceExpressionProcessor,
    /// BindingProcessor): a parameter by its value, a binding's host by the resource's name (its
    /// Service), its port by port or else targetPort, and any other path by the string it names.
    /// </summary>
    public string Resolve(string value, IReadOnlyDictionary<string, string> parameterValues, int depth = 0)
    {
        if (depth > 10)
        {
            throw new InvalidOperationException($"Reference cycle at '{value}'.");
        }
        return ReferencePattern().Replace(value, match =>
        {
            var parts = match.Groups[1].Value.Split('.');
            var target = this[parts[0]];
            if (TypeOf(target) == "parameter.v0" && parts[1] == "value")
            {
                return parameterValues.TryGetValue(parts[0], out var parameter)
                    ? parameter
                    : throw new KeyNotFoundException($"No value given for parameter '{parts[0]}'.");
            }
            if (parts[1] == "bindings")
            {
                var binding = target["bindings"]![parts[2]]!;
                return parts[3] switch
                {
                    "host" => parts[0],
                    "port" => (binding["port"] ?? binding["targetPort"])!.ToString(),
                    "targetPort" => binding["targetPort"]!.ToString(),
                    var property => throw new NotSupportedException($"Binding property '{property}' is not resolved here."),
                };
            }
            JsonNode? node = target;
            foreach (var part in parts[1..])
            {
                node = (node as JsonObject)?[part];
            }
            return Resolve((string)node! ?? throw new KeyNotFoundException($"'{match.Value}' names nothing."), parameterValues, depth + 1);
        });
    }

    /// <summary>Whether a value carries a secret parameter's value, directly or through other resources' expressions.</summary>
    public bool CarriesSecret(string value) => CarriesSecret(value, depth: 0);

    private bool CarriesSecret(string value, int depth)
    {
        if (depth > 10)
        {
            throw new InvalidOperationException($"Reference cycle at '{value}'.");
        }
        foreach (var reference in ReferencesIn(value))
        {
            var parts = reference.Split('.');
            if (Resources[parts[0]] is not JsonObject target)
            {
                continue;
            }
            if (TypeOf(target) == "parameter.v0" && target["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true)
            {
                return true;
            }
            JsonNode? node = target;
            foreach (var part in parts[1..])
            {
                node = (node as JsonObject)?[part];
            }
            if (node is JsonValue nested && nested.TryGetValue<string>(out var text) && CarriesSecret(text, depth + 1))
            {
                return true;
            }
        }
        return false;
    }

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex ReferencePattern();
}
