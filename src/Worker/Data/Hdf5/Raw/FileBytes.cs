using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>Positioned reads and the little-endian, variable-width integers the HDF5 format uses.</summary>
internal static partial class FileBytes
{
    private const int PosixFadviseWillNeed = 3;

    /// <summary>
    /// posix_fadvise(WILLNEED): the kernel starts reading the range into the page cache and returns
    /// without waiting, so the reads of a whole batch are in flight at once instead of one after the
    /// other. A hint: failures are ignored.
    /// </summary>
    public static void WillNeed(SafeFileHandle handle, long offset, long length)
    {
        if (length > 0)
        {
            _ = PosixFadvise(handle, offset, length, PosixFadviseWillNeed);
        }
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; a short file is a truncated file.</summary>
    public static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset, string file)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"{Path.GetFileName(file)} ends before byte {offset + destination.Length}: the file is truncated.");
            }
            destination = destination[read..];
            offset += read;
        }
    }

    /// <summary>
    /// A buffer for <paramref name="length"/> bytes the format says lie at <paramref name="offset"/>, allocated
    /// only when the file holds them: a forged count in a few-KB file must not become gigabytes of memory.
    /// </summary>
    public static byte[] Sized(SafeFileHandle handle, long length, long offset, string file)
    {
        long fileLength = RandomAccess.GetLength(handle);
        if (length < 0 || offset < 0 || offset > fileLength || length > fileLength - offset || length > Array.MaxLength)
        {
            throw new EndOfStreamException($"{Path.GetFileName(file)}: the index declares {length} bytes at byte {offset} " +
                $"but the file has {fileLength}: the file is damaged or truncated.");
        }
        return new byte[length];
    }

    /// <summary>An unsigned integer of 1 to 8 bytes, as offsets and lengths are stored.</summary>
    public static ulong ReadUInt(ReadOnlySpan<byte> source, int size)
    {
        Span<byte> wide = stackalloc byte[8];
        wide.Clear();
        source[..size].CopyTo(wide);
        return BinaryPrimitives.ReadUInt64LittleEndian(wide);
    }

    /// <summary>The "undefined address" of the format: all bits set in an offset of <paramref name="size"/> bytes.</summary>
    public static bool IsUndefined(ulong address, int size) =>
        size >= 8 ? address == ulong.MaxValue : address == (1UL << (size * 8)) - 1;

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(SafeFileHandle fd, long offset, long length, int advice);
}
