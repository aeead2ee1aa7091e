using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Data;

/// <summary>One split of a run: which rows of which image and label datasets belong to it.</summary>
internal sealed record SplitData(string Name, ImageDataset Images, LabelDataset Labels, long[] Rows)
{
    public int Count => Rows.Length;

    public int LabelOf(long row) => Labels.Classes[(int)row];
}
