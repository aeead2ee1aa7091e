namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>Element types an image dataset may have.</summary>
public enum PixelType
{
    UInt8,
    Float16,
    Float32,
}
