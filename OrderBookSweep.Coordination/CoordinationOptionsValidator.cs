using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.Coordination;

/// <summary>
/// Checks <see cref="CoordinationOptions"/> at start, naming each bad setting by its key and its
/// allowed range. The only check of these values: the AppHost passes them through unread.
/// </summary>
public sealed partial class CoordinationOptionsValidator : IValidateOptions<CoordinationOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinationOptions options)
    {
        var errors = new List<string>();
        if (!KeyPrefixPattern().IsMatch(options.KeyPrefix ?? ""))
        {
            errors.Add($"{CoordinationOptions.SectionName}:{nameof(options.KeyPrefix)} must be 1-64 characters of letters, digits, '_', '-', ':' or '.'.");
        }

        Range(errors, nameof(options.MaxConcurrentExchanges), options.MaxConcurrentExchanges, 1, 1000);
        Range(errors, nameof(options.MaxAttempts), options.MaxAttempts, 1, 100);
        Range(errors, nameof(options.MaxBookBytes), options.MaxBookBytes, 1024, 64 * 1024 * 1024);
        Range(errors, nameof(options.LeaseDuration), options.LeaseDuration, TimeSpan.FromMilliseconds(300), TimeSpan.FromHours(1));
        Range(errors, nameof(options.RetryBackoff), options.RetryBackoff, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(errors, nameof(options.MaxRetryBackoff), options.MaxRetryBackoff, options.RetryBackoff, TimeSpan.FromHours(6));
        Range(errors, nameof(options.BookTtl), options.BookTtl, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
        Range(errors, nameof(options.SweepRetention), options.SweepRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));
        Range(errors, nameof(options.ClaimWait), options.ClaimWait, TimeSpan.FromMilliseconds(10), options.LeaseDuration);
        Range(errors, nameof(options.PermitRecheckInterval), options.PermitRecheckInterval, TimeSpan.FromMilliseconds(10), options.LeaseDuration);
        // Two renewals must fit in one lease, so that one lost renewal does not lose the lease.
        Range(errors, nameof(options.RenewInterval), options.EffectiveRenewInterval, TimeSpan.FromMilliseconds(50), options.LeaseDuration / 2);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range<T>(List<string> errors, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add($"{CoordinationOptions.SectionName}:{name} must be between {min} and {max} (was {value}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex KeyPrefixPattern();
}
