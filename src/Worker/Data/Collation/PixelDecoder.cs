using System.Runtime.InteropServices;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>Turns one stored row (N,H,W,C or N,C,H,W; uint8, float16 or float32) into rescaled float32 C×H×W.</summary>
internal sealed class PixelDecoder
{
    private readonly ImageGeometryInfo _geometry;
    private readonly float _rescale;
    private readonly float[] _byteTable = new float[256];

    public PixelDecoder(ImageGeometryInfo geometry, float rescale)
    {
        _geometry = geometry;
        _rescale = rescale;
        for (int i = 0; i < 256; i++)
        {
            _byteTable[i] = i * rescale;
        }
    }

    public void Decode(ReadOnlySpan<byte> row, Span<float> chw)
    {
        switch (_geometry.PixelType)
        {
            case PixelType.UInt8:
                Convert(row, chw, _byteTable);
                break;
            case PixelType.Float32:
                Convert(MemoryMarshal.Cast<byte, float>(row), chw, _rescale);
                break;
            default:
                Convert(MemoryMarshal.Cast<byte, Half>(row), chw, _rescale);
                break;
        }
    }

    private void Convert(ReadOnlySpan<byte> row, Span<float> chw, float[] table)
    {
        int c = _geometry.Channels, plane = _geometry.Height * _geometry.Width;
        if (_geometry.Layout == ImageLayout.Nchw || c == 1)
        {
            PixelKernels.BytesToFloats(row[..(plane * c)], chw, _rescale);
            return;
        }
        if (c == 3)
        {
            PixelKernels.RgbToPlanes(row, chw[..plane], chw.Slice(plane, plane), chw.Slice(2 * plane, plane), _rescale);
            return;
        }
        for (int p = 0, src = 0; p < plane; p++)
        {
            for (int ch = 0; ch < c; ch++, src++)
            {
                chw[ch * plane + p] = table[row[src]];
            }
        }
    }

    private void Convert<T>(ReadOnlySpan<T> row, Span<float> chw, float rescale) where T : unmanaged
    {
        int c = _geometry.Channels, plane = _geometry.Height * _geometry.Width;
        bool planar = _geometry.Layout == ImageLayout.Nchw || c == 1;
        for (int ch = 0; ch < c; ch++)
        {
            var target = chw.Slice(ch * plane, plane);
            for (int p = 0; p < plane; p++)
            {
                int src = planar ? ch * plane + p : p * c + ch;
                target[p] = ToFloat(row[src]) * rescale;
            }
        }
    }

    private static float ToFloat<T>(T value) where T : unmanaged => value switch
    {
        float f => f,
        Half h => (float)h,
        _ => throw new NotSupportedException(typeof(T).Name),
    };
}
