namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>Rows [FirstRow, FirstRow + Rows) of a label dataset; <see cref="Values"/> indexes the block's values row-major from 0.</summary>
internal readonly record struct LabelBlock(long FirstRow, int Rows, Func<long, double> Values);
