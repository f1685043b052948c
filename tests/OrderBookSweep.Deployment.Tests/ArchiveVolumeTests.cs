namespace OrderBookSweep.Deployment.Tests;

/// <summary>The scheduler's archive lives on a claim of its own, mounted where the scheduler is told to write it, by its non-root user.</summary>
public sealed class ArchiveVolumeTests
{
    [DeployToolsFact]
    public async Task The_scheduler_mounts_its_archive_claim_at_Archive_Path_writable_by_its_user_with_a_cap_below_the_claim()
    {
        var applied = (await DeployScript.DeployedAsync()).Applied;
        var claim = applied.Find("PersistentVolumeClaim", "scheduler-archive");
        Assert.Equal(["ReadWriteOnce"], claim["spec"]!["accessModes"]!.AsArray().Select(m => (string?)m));

        var scheduler = applied.Find("Deployment", "scheduler");
        var pod = scheduler["spec"]!["template"]!["spec"]!;
        var volume = pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "archive")!;
        Assert.Equal("scheduler-archive", (string?)volume["persistentVolumeClaim"]!["claimName"]);
        // fsGroup makes the volume the non-root user's (runAsUser and fsGroup: the image's APP_UID).
        Assert.Equal((string?)pod["securityContext"]!["runAsUser"], (string?)pod["securityContext"]!["fsGroup"]);

        var container = DeployOverlay.OnlyContainer(scheduler);
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "archive")!;
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
        Assert.Equal((string?)mount["mountPath"], env["Archive__Path"]);
        var claimBytes = long.Parse(((string)claim["spec"]!["resources"]!["requests"]!["storage"]!).TrimEnd('i', 'G'), System.Globalization.CultureInfo.InvariantCulture) << 30;
        Assert.InRange(long.Parse(env["Archive__MaxBytes"]!, System.Globalization.CultureInfo.InvariantCulture), 1, claimBytes - 1);
    }
}
