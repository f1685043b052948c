using System.Buffers;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// Payloads for one Redis call written side by side into arrays rented from the shared pool, each
/// left where it was written until the call's reply is in: a payload written with every stored
/// book, allocated on its own, costs the worker more in the garbage collector's zeroing and
/// collecting of fresh memory than in its own bytes (the seam benchmark's notes, "The book path's metrics").
/// </summary>
/// <remarks>
/// <see cref="Return"/> only once the call has been answered: a call that failed or was cancelled
/// may still be waiting to be sent, so its arrays are left to the garbage collector instead.
/// </remarks>
internal sealed class RentedBytes
{
    private const int ArrayLength = 64 * 1024;

    private readonly List<byte[]> _rented = [];
    private byte[] _current = [];
    private int _used;

    /// <summary>Room for a payload of at most <paramref name="length"/> bytes; <see cref="Commit"/> what was written into it.</summary>
    public Span<byte> Room(int length)
    {
        if (_current.Length - _used < length)
        {
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(length, ArrayLength));
            _rented.Add(_current);
            _used = 0;
        }

        return _current.AsSpan(_used, length);
    }

    /// <summary>The first <paramref name="length"/> bytes of the last <see cref="Room"/>, kept until <see cref="Return"/>.</summary>
    public ReadOnlyMemory<byte> Commit(int length)
    {
        var payload = _current.AsMemory(_used, length);
        _used += length;
        return payload;
    }

    /// <summary>Gives every array back to the pool; what was committed is no longer valid.</summary>
    public void Return()
    {
        foreach (var array in _rented)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _rented.Clear();
        (_current, _used) = ([], 0);
    }
}
