namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Reads whole rows (images) of a dataset's first axis. One instance serves one thread at a time:
/// it owns its file handle and buffers, so parallel readers never share state.
/// </summary>
internal interface IRowReader : IDisposable
{
    /// <summary>Reads rows <paramref name="firstRow"/> .. firstRow+count-1 into <paramref name="destination"/>.</summary>
    void ReadRun(long firstRow, int count, Span<byte> destination);

    /// <summary>
    /// Tells the OS that rows <paramref name="firstRow"/> .. firstRow+count-1 will be read soon, so it
    /// can fetch them in the background; a hint only, which readers without a file of their own ignore.
    /// </summary>
    void WillRead(long firstRow, int count)
    {
    }
}
