namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Reads whole rows (images) of a dataset's first axis. Implementations are safe to call from
/// several threads at once.
/// </summary>
internal interface IRowReader : IDisposable
{
    /// <summary>Reads rows <paramref name="firstRow"/> .. firstRow+count-1 into <paramref name="destination"/>.</summary>
    void ReadRun(long firstRow, int count, Span<byte> destination);
}
