using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>A Kubernetes label selector (matchLabels and matchExpressions) evaluated against a set of labels.</summary>
internal static class LabelSelector
{
    public static bool Matches(JsonObject selector, JsonObject labels)
    {
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if ((string?)labels[key] != (string?)value)
            {
                return false;
            }
        }
        foreach (var expression in selector["matchExpressions"]?.AsArray() ?? [])
        {
            var label = (string?)labels[(string)expression!["key"]!];
            var values = expression["values"]?.AsArray().Select(v => (string?)v).ToList() ?? [];
            var holds = (string?)expression["operator"] switch
            {
                "In" => label is not null && values.Contains(label),
                "NotIn" => label is null || !values.Contains(label),
                "Exists" => label is not null,
                "DoesNotExist" => label is null,
                var other => throw new Xunit.Sdk.XunitException($"Unknown selector operator '{other}'"),
            };
            if (!holds)
            {
                return false;
            }
        }
        return true;
    }
}
