namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>Axis order of an image dataset: N,H,W,C (Keras, h5py exports) or N,C,H,W (PyTorch).</summary>
public enum ImageLayout
{
    Nhwc,
    Nchw,
}
