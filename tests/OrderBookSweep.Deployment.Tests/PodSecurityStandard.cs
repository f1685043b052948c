using System.Text.Json.Nodes;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// The `restricted` Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-standards,
/// which includes every `baseline` control), as checks on a pod spec. Returns what a namespace
/// enforcing it would refuse; empty means admitted. Read-only root filesystems are not part of the
/// standard: this project asks for them too, since every process it runs allows one.
/// </summary>
internal static class PodSecurityStandard
{
    private static readonly HashSet<string> AllowedVolumeSources =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    private static readonly HashSet<string> SafeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    ];

    private static readonly HashSet<string> AllowedSeLinuxTypes = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

    public static IReadOnlyList<string> Violations(JsonObject podSpec)
    {
        var problems = new List<string>();
        var pod = podSpec["securityContext"] as JsonObject ?? [];

        // baseline: host namespaces, host paths and ports, sysctls, SELinux, AppArmor
        foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            if (IsTrue(podSpec[field]))
            {
                problems.Add($"{field}: true");
            }
        }
        foreach (var volume in podSpec["volumes"]?.AsArray() ?? [])
        {
            var source = volume!.AsObject().Select(p => p.Key).Single(key => key != "name");
            if (!AllowedVolumeSources.Contains(source))
            {
                problems.Add($"volume {volume["name"]}: {source} is not an allowed volume type");
            }
        }
        foreach (var sysctl in pod["sysctls"]?.AsArray() ?? [])
        {
            if (!SafeSysctls.Contains((string)sysctl!["name"]!))
            {
                problems.Add($"sysctl {sysctl["name"]} is not in the safe set");
            }
        }
        CheckSeLinuxAppArmorAndSeccomp("pod", pod, problems);

        var containers = new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(list => podSpec[list]?.AsArray() ?? [])
            .Select(c => c!.AsObject())
            .ToList();
        if (containers.Count == 0)
        {
            problems.Add("no containers");
        }
        foreach (var container in containers)
        {
            var name = $"container {container["name"]}";
            var context = container["securityContext"] as JsonObject ?? [];

            if (IsTrue(context["privileged"]))
            {
                problems.Add($"{name}: privileged");
            }
            foreach (var port in container["ports"]?.AsArray() ?? [])
            {
                if (port!["hostPort"] is { } hostPort && (string?)hostPort != "0")
                {
                    problems.Add($"{name}: hostPort {hostPort}");
                }
            }
            if ((string?)context["procMount"] is { } procMount && procMount != "Default")
            {
                problems.Add($"{name}: procMount {procMount}");
            }
            CheckSeLinuxAppArmorAndSeccomp(name, context, problems);

            // restricted: privilege escalation, non-root, seccomp, capabilities
            if ((string?)context["allowPrivilegeEscalation"] != "false")
            {
                problems.Add($"{name}: allowPrivilegeEscalation is not false");
            }
            if ((string?)(context["runAsNonRoot"] ?? pod["runAsNonRoot"]) != "true")
            {
                problems.Add($"{name}: runAsNonRoot is not true on the container or the pod");
            }
            if ((string?)(context["runAsUser"] ?? pod["runAsUser"]) == "0")
            {
                problems.Add($"{name}: runAsUser 0");
            }
            var seccomp = (string?)(context["seccompProfile"]?["type"] ?? pod["seccompProfile"]?["type"]);
            if (seccomp is not ("RuntimeDefault" or "Localhost"))
            {
                problems.Add($"{name}: seccompProfile is {seccomp ?? "unset"}, not RuntimeDefault or Localhost");
            }
            var capabilities = context["capabilities"];
            if (!(capabilities?["drop"]?.AsArray() ?? []).Any(c => (string?)c == "ALL"))
            {
                problems.Add($"{name}: capabilities do not drop ALL");
            }
            foreach (var added in capabilities?["add"]?.AsArray() ?? [])
            {
                if ((string?)added != "NET_BIND_SERVICE")
                {
                    problems.Add($"{name}: adds capability {added}");
                }
            }

            // this project's rule
            if ((string?)context["readOnlyRootFilesystem"] != "true")
            {
                problems.Add($"{name}: root filesystem is writable");
            }
        }
        return problems;
    }

    private static void CheckSeLinuxAppArmorAndSeccomp(string where, JsonObject context, List<string> problems)
    {
        var seLinux = context["seLinuxOptions"];
        if (!AllowedSeLinuxTypes.Contains((string?)seLinux?["type"] ?? ""))
        {
            problems.Add($"{where}: SELinux type {seLinux!["type"]}");
        }
        if (seLinux?["user"] is not null || seLinux?["role"] is not null)
        {
            problems.Add($"{where}: sets a SELinux user or role");
        }
        if ((string?)context["appArmorProfile"]?["type"] == "Unconfined")
        {
            problems.Add($"{where}: AppArmor Unconfined");
        }
        if ((string?)context["seccompProfile"]?["type"] == "Unconfined")
        {
            problems.Add($"{where}: seccomp Unconfined");
        }
    }

    private static bool IsTrue(JsonNode? value) => (string?)value == "true";
}
