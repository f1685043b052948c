using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The kustomize overlay in deploy/ and the Kubernetes objects rendered from it (by deploy.sh over
/// deploy/aspirate-output-example/, see <see cref="DeployScript"/>).
/// </summary>
internal static class DeployOverlay
{
    public static string Directory => Repository.PathOf("deploy");

    public static string ExampleDirectory => Repository.PathOf("deploy", "aspirate-output-example");

    public static JsonObject Kustomization => Yaml.ParseFile(Path.Combine(Directory, "kustomization.yaml"));

    public static JsonObject Find(this IEnumerable<JsonObject> objects, string kind, string name) =>
        objects.SingleOrDefault(o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"The rendered overlay has no {kind} '{name}'.");

    /// <summary>Every object that runs pods, with its pod template's spec.</summary>
    public static IEnumerable<(string Name, JsonObject PodSpec)> PodSpecs(this IEnumerable<JsonObject> objects) =>
        objects
            .Where(o => (string?)o["kind"] is "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" or "CronJob" or "Pod")
            .Select(o => ($"{o["kind"]}/{o["metadata"]!["name"]}", (string?)o["kind"] switch
            {
                "Pod" => (JsonObject)o["spec"]!,
                "CronJob" => (JsonObject)o["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!,
                _ => (JsonObject)o["spec"]!["template"]!["spec"]!,
            }));

    /// <summary>Every object that runs pods, with its pod template's labels.</summary>
    public static IEnumerable<(string Name, JsonObject Labels)> PodLabels(this IEnumerable<JsonObject> objects) =>
        objects
            .Where(o => (string?)o["kind"] is "Deployment" or "StatefulSet")
            .Select(o => ((string)o["metadata"]!["name"]!, (JsonObject)o["spec"]!["template"]!["metadata"]!["labels"]!));

    public static JsonObject OnlyContainer(JsonObject workload) =>
        (JsonObject)workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
}
