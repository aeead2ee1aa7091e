using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// What raw reads need from the superblock: the width of offsets and lengths, and the base address
/// that every stored address is relative to (non-zero when the file has a user block).
/// </summary>
internal sealed record Superblock(int OffsetSize, int LengthSize, ulong BaseAddress, ulong EndOfFileAddress)
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

    public static Superblock Read(SafeFileHandle handle, string file)
    {
        var length = RandomAccess.GetLength(handle);
        Span<byte> buffer = stackalloc byte[64];
        buffer.Clear();
        // The format allows the superblock at 0, 512, 1024, 2048, ... (after a user block).
        for (long at = 0; at + 8 <= length; at = at == 0 ? 512 : at * 2)
        {
            FileBytes.ReadExactly(handle, buffer[..(int)Math.Min(buffer.Length, length - at)], at, file);
            if (!buffer[..8].SequenceEqual(Signature))
            {
                continue;
            }
            int version = buffer[8];
            if (version > 3)
            {
                throw new InvalidDataException($"{Path.GetFileName(file)} has a superblock of unknown version {version}");
            }
            if (version <= 1)
            {
                int offsetSize = buffer[13], lengthSize = buffer[14];
                CheckSizes(file, offsetSize, lengthSize);
                // v0: 24 fixed bytes then K values (4) and flags (4); v1 adds 4 more bytes of K values.
                // Then base address, free-space address, end-of-file address.
                int baseAt = version == 0 ? 24 : 28;
                return new Superblock(offsetSize, lengthSize, FileBytes.ReadUInt(buffer[baseAt..], offsetSize),
                    FileBytes.ReadUInt(buffer[(baseAt + 2 * offsetSize)..], offsetSize));
            }
            // v2/v3: base address, superblock extension address, end-of-file address.
            int size = buffer[9];
            CheckSizes(file, size, buffer[10]);
            return new Superblock(size, buffer[10], FileBytes.ReadUInt(buffer[12..], size), FileBytes.ReadUInt(buffer[(12 + 2 * size)..], size));
        }
        throw new InvalidDataException($"{Path.GetFileName(file)} has no HDF5 superblock");
    }

    /// <summary>The format allows offsets and lengths of 2, 4 or 8 bytes; anything else is a damaged superblock.</summary>
    private static void CheckSizes(string file, int offsetSize, int lengthSize)
    {
        if (offsetSize is not (2 or 4 or 8) || lengthSize is not (2 or 4 or 8))
        {
            throw new InvalidDataException($"{Path.GetFileName(file)}: the superblock declares {offsetSize}-byte offsets and {lengthSize}-byte lengths");
        }
    }
}
