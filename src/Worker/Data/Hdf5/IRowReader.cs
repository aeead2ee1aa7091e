namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Reads whole rows (images) of a dataset's first axis. One instance serves one thread at a time:
/// it owns its file handle and buffers, so parallel readers never share state.
/// </summary>
internal interface IRowReader : IDisposable
{
    /// <summary>Reads rows <paramref name="firstRow"/> .. firstRow+count-1 into <paramref name="destination"/>.</summary>
    void ReadRun(long firstRow, int count, Span<byte> destination);
}
