using System.Runtime.InteropServices;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>Read-only lists as spans, for loops that run per level or per number: no interface call per item.</summary>
internal static class ReadOnlyLists
{
    /// <summary>The list's items: an array's or a <see cref="List{T}"/>'s own, any other list's copied.</summary>
    public static ReadOnlySpan<T> AsSpan<T>(IReadOnlyList<T> items) => items switch
    {
        null => throw new ArgumentNullException(nameof(items)),
        T[] array => array,
        List<T> list => CollectionsMarshal.AsSpan(list),
        _ => items.ToArray(),
    };
}
