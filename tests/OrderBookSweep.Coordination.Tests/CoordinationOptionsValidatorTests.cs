namespace OrderBookSweep.Coordination.Tests;

public sealed class CoordinationOptionsValidatorTests
{
    private readonly CoordinationOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid_and_renew_three_times_per_lease()
    {
        var options = new CoordinationOptions();
        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(5), options.EffectiveRenewInterval);
    }

    [Fact]
    public void Out_of_range_values_are_named_in_the_failure()
    {
        var options = new CoordinationOptions
        {
            KeyPrefix = "has space",
            MaxConcurrentExchanges = 0,
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewInterval = TimeSpan.FromSeconds(2),
            ClaimWait = TimeSpan.FromSeconds(10),
        };
        var failure = _validator.Validate(null, options).FailureMessage;
        foreach (var name in new[] { "KeyPrefix", "MaxConcurrentExchanges", "RenewInterval", "ClaimWait" })
        {
            Assert.Contains($"Coordination:{name} must be", failure);
        }
    }
}
