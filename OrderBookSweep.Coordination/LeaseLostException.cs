namespace OrderBookSweep.Coordination;

/// <summary>
/// A write for a job was refused because this worker no longer holds the job's lease (it
/// lapsed and may be another worker's now, or the sweep was cancelled). Nothing was written.
/// </summary>
public sealed class LeaseLostException(string message) : Exception(message);
