namespace WebTrainer.Worker.Training;

/// <summary>
/// Where a run is: the split, epoch and batch last handed to the model. Written on the training
/// thread, read from others (the run process's heartbeat, error texts); <see cref="Moved"/> runs on
/// the training thread, before the batch is used.
/// </summary>
internal sealed class RunPosition
{
    public const string TrainSplit = "train";
    public const string ValidationSplit = "validation";
    public const string TestSplit = "test";

    /// <summary>The pass over the train split that computes normalisation statistics before training.</summary>
    public const string StatisticsPass = "statistics";

    /// <summary>An optimise job's steps (row blocks copied); its epoch is 1.</summary>
    public const string OptimizePass = "optimize";

    private readonly Lock _gate = new();
    private RunPoint _current = RunPoint.None;

    public event Action<RunPoint>? Moved;

    public RunPoint Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public void BeginEpoch(int epoch)
    {
        lock (_gate)
        {
            _current = _current with { Epoch = epoch };
        }
    }

    public void Mark(string split, int batchIndex)
    {
        RunPoint point;
        lock (_gate)
        {
            point = _current = new RunPoint(split, _current.Epoch, batchIndex + 1, _current.Step + 1);
        }
        Moved?.Invoke(point);
    }
}
