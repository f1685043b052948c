namespace OrderBookSweep.Deployment.Tests;

/// <summary>A test that needs <c>kubectl kustomize</c>; skipped, with the reason, where kubectl is not installed.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (!ExternalCommand.IsOnPath("kubectl"))
        {
            Skip = "kubectl is not on PATH: install it (it carries kustomize) to render deploy/.";
        }
    }
}
