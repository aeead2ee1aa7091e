using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// The version-1 B-tree chunk index of layout v1–v3 (HDF5 File Format Specification, "Version 1
/// B-trees", node type 1): nodes "TREE", type, level, entries used, two sibling addresses, then
/// keys and children interleaved. A raw-data key is chunk size (4), filter mask (4) and one 8-byte
/// element offset per dataset axis plus one for the element size. Leaf children are chunk addresses.
/// </summary>
internal static class BTree1Index
{
    private const int MaxDepth = 64;

    public static void Fill(ChunkTable table, SafeFileHandle handle, string file, Superblock sb, long root, long chunkBytes,
        CancellationToken cancellationToken = default)
    {
        int rank = table.Shape.Length;
        int keySize = 8 + 8 * (rank + 1);
        var visited = new HashSet<long>();
        Visit(root, MaxDepth);

        void Visit(long node, int depthLeft)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (depthLeft == 0 || !visited.Add(node))
            {
                throw new InvalidDataException($"{Path.GetFileName(file)}: the chunk B-tree is cyclic or too deep");
            }
            int o = sb.OffsetSize;
            var header = new byte[8 + 2 * o];
            FileBytes.ReadExactly(handle, header, node, file);
            if (header[0] != 'T' || header[1] != 'R' || header[2] != 'E' || header[3] != 'E' || header[4] != 1)
            {
                throw new InvalidDataException($"{Path.GetFileName(file)}: expected a raw-data B-tree node at byte {node}");
            }
            int level = header[5];
            int entries = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
            var body = FileBytes.Sized(handle, (entries + 1L) * keySize + (long)entries * o, node + header.Length, file);
            FileBytes.ReadExactly(handle, body, node + header.Length, file);
            Span<ulong> coordinates = stackalloc ulong[rank];
            for (int i = 0; i < entries; i++)
            {
                var key = body.AsSpan(i * (keySize + o), keySize);
                ulong child = FileBytes.ReadUInt(body.AsSpan(i * (keySize + o) + keySize), o);
                long childOffset = (long)(sb.BaseAddress + child);
                if (level > 0)
                {
                    Visit(childOffset, depthLeft - 1);
                    continue;
                }
                uint size = BinaryPrimitives.ReadUInt32LittleEndian(key);
                uint mask = BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
                bool inside = true;
                for (int d = 0; d < rank; d++)
                {
                    coordinates[d] = BinaryPrimitives.ReadUInt64LittleEndian(key[(8 + 8 * d)..]);
                    if (coordinates[d] % table.ChunkDims[d] != 0)
                    {
                        throw new InvalidDataException($"{Path.GetFileName(file)}: chunk B-tree key is not chunk-aligned");
                    }
                    // A dataset shrunk after writing keeps chunks past its end; they are not part of it.
                    inside &= coordinates[d] < table.Shape[d];
                }
                if (!inside)
                {
                    continue;
                }
                table.Set(table.LinearIndexOfElement(coordinates), childOffset, size == 0 ? chunkBytes : size, mask);
            }
        }
    }
}
