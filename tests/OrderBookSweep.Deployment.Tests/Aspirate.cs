namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// What aspirate does with an Aspire manifest, read from its source (prom3theu5/aspirational-manifests:
/// the resource processors registered by type, Shared/Enums/ProtectorType.cs, Cli/Templates/*.hbs).
/// </summary>
internal static class Aspirate
{
    /// <summary>Types with a processor; anything else is skipped, and a reference to it is left unresolved.</summary>
    public static readonly IReadOnlySet<string> SupportedResourceTypes = new HashSet<string>
    {
        "project.v0", "project.v1", "container.v0", "container.v1", "dockerfile.v0", "parameter.v0", "value.v0",
    };

    /// <summary>Types that become a Deployment/StatefulSet and a Service (one output folder each).</summary>
    public static readonly IReadOnlySet<string> DeployableResourceTypes = new HashSet<string>
    {
        "project.v0", "project.v1", "container.v0", "container.v1", "dockerfile.v0",
    };

    /// <summary>Env names aspirate moves into a Secret (by prefix); every other env var goes into a plain ConfigMap.</summary>
    private static readonly string[] SecretEnvPrefixes = ["ConnectionString", "POSTGRES_PASSWORD", "MSSQL_SA_PASSWORD"];

    public static bool IsSecretEnvName(string name) => SecretEnvPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Env vars the --include-dashboard run adds to every resource's ConfigMap.</summary>
    public static readonly IReadOnlySet<string> DashboardEnvNames = new HashSet<string> { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME" };

    /// <summary>The env var aspirate's kustomization template adds to every project (not to containers).</summary>
    public const string ProjectUrlsEnvName = "ASPNETCORE_URLS";
}
