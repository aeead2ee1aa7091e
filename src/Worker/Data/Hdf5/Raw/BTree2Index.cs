using System.Buffers.Binary;
using System.Numerics;
using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// The version-2 B-tree chunk index that libhdf5 writes with the latest format for a dataset with more
/// than one unlimited axis (h5py: <c>maxshape=(None, None, ...)</c>). HDF5 File Format Specification,
/// "Version 2 B-trees": a header (BTHD), internal nodes (BTIN) whose records sit between child pointers,
/// and leaves (BTLF). Records are type 10 (chunk address, then the chunk's coordinates scaled by the chunk
/// size, 8 bytes per axis) or type 11 (address, stored size, filter mask, scaled coordinates). Every
/// record, in internal nodes too, is one chunk.
/// </summary>
internal static class BTree2Index
{
    private const int Prefix = 4 + 1 + 1; // signature, version, type
    private const int Checksum = 4;
    private const int MaxDepth = 64;

    /// <summary>Fills <paramref name="table"/>; false when the tree is of a kind this reader does not know.</summary>
    public static bool Fill(ChunkTable table, SafeFileHandle handle, string file, Superblock sb, long headerOffset, long chunkBytes,
        bool filtered, CancellationToken cancellationToken = default)
    {
        int o = sb.OffsetSize, l = sb.LengthSize, rank = table.Shape.Length;
        var header = new byte[Prefix + 4 + 2 + 2 + 1 + 1 + o + 2 + l + Checksum];
        FileBytes.ReadExactly(handle, header, headerOffset, file);
        Expect(header, "BTHD", file);
        int type = header[5];
        long nodeSize = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(6));
        int recordSize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
        int depth = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(12));
        ulong root = FileBytes.ReadUInt(header.AsSpan(16), o);
        int rootRecords = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(16 + o));
        int sizeLength = recordSize - o - 4 - 8 * rank;
        bool known = filtered ? type == 11 && sizeLength is >= 1 and <= 8 : type == 10 && recordSize == o + 8 * rank;
        if (header[4] != 0 || !known || depth >= MaxDepth || recordSize == 0)
        {
            return false;
        }
        if (FileBytes.IsUndefined(root, o) || rootRecords == 0)
        {
            return true; // nothing written yet: every chunk reads as fill value
        }
        var tree = new Tree(table, handle, file, sb, chunkBytes, filtered, recordSize, sizeLength, PointerSizes(nodeSize, recordSize, o, depth), cancellationToken);
        tree.Visit((long)(sb.BaseAddress + root), rootRecords, depth);
        return true;
    }

    /// <summary>
    /// Per depth, the bytes of a child pointer in a node of that depth: address, record count (sized for a
    /// full leaf), and below the first internal level the subtree's record count (sized for a full subtree),
    /// as libhdf5 derives them from the node size.
    /// </summary>
    private static (int Count, int Total)[] PointerSizes(long nodeSize, int recordSize, int offsetSize, int depth)
    {
        var sizes = new (int Count, int Total)[depth + 1];
        long maxRecords = (nodeSize - Prefix - Checksum) / recordSize, cumulative = maxRecords;
        int countSize = EncodedSize(maxRecords), totalSize = 0;
        for (int d = 1; d <= depth; d++)
        {
            sizes[d] = (countSize, totalSize);
            int pointer = offsetSize + countSize + totalSize;
            long records = (nodeSize - (Prefix + Checksum + pointer)) / (recordSize + pointer);
            cumulative = (records + 1) * cumulative + records;
            totalSize = EncodedSize(cumulative);
        }
        return sizes;
    }

    /// <summary>Bytes that hold <paramref name="value"/>, as libhdf5's H5VM_limit_enc_size counts them.</summary>
    private static int EncodedSize(long value) => BitOperations.Log2((ulong)Math.Max(value, 1)) / 8 + 1;

    private static void Expect(ReadOnlySpan<byte> block, string signature, string file)
    {
        if (block[0] != signature[0] || block[1] != signature[1] || block[2] != signature[2] || block[3] != signature[3])
        {
            throw new InvalidDataException($"{Path.GetFileName(file)}: expected a {signature} node of the chunk index");
        }
    }

    private sealed class Tree(ChunkTable table, SafeFileHandle handle, string file, Superblock sb, long chunkBytes, bool filtered,
        int recordSize, int sizeLength, (int Count, int Total)[] pointerSizes, CancellationToken cancellationToken)
    {
        private readonly HashSet<long> _visited = [];
        private readonly ulong[] _coordinates = new ulong[table.Shape.Length];

        public void Visit(long node, int records, int depth)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_visited.Add(node))
            {
                throw new InvalidDataException($"{Path.GetFileName(file)}: the chunk B-tree is cyclic");
            }
            int o = sb.OffsetSize;
            int pointer = depth == 0 ? 0 : o + pointerSizes[depth].Count + pointerSizes[depth].Total;
            var body = FileBytes.Sized(handle, Prefix + (long)records * recordSize + (depth == 0 ? 0 : (records + 1L) * pointer), node, file);
            FileBytes.ReadExactly(handle, body, node, file);
            Expect(body, depth == 0 ? "BTLF" : "BTIN", file);
            for (int i = 0; i < records; i++)
            {
                Record(body.AsSpan(Prefix + i * recordSize, recordSize));
            }
            for (int i = 0; depth > 0 && i <= records; i++)
            {
                var child = body.AsSpan(Prefix + records * recordSize + i * pointer, pointer);
                ulong address = FileBytes.ReadUInt(child, o);
                int childRecords = (int)FileBytes.ReadUInt(child[o..], pointerSizes[depth].Count);
                if (childRecords > 0)
                {
                    Visit((long)(sb.BaseAddress + address), childRecords, depth - 1);
                }
            }
        }

        private void Record(ReadOnlySpan<byte> record)
        {
            int o = sb.OffsetSize;
            ulong address = FileBytes.ReadUInt(record, o);
            long size = filtered ? (long)FileBytes.ReadUInt(record[o..], sizeLength) : chunkBytes;
            uint mask = filtered ? BinaryPrimitives.ReadUInt32LittleEndian(record[(o + sizeLength)..]) : 0;
            var scaled = record[(filtered ? o + sizeLength + 4 : o)..];
            for (int d = 0; d < _coordinates.Length; d++)
            {
                ulong chunk = BinaryPrimitives.ReadUInt64LittleEndian(scaled[(8 * d)..]);
                if (chunk >= (ulong)table.Grid[d])
                {
                    return; // a dataset shrunk after writing keeps chunks past its end
                }
                _coordinates[d] = chunk * table.ChunkDims[d];
            }
            if (!FileBytes.IsUndefined(address, o))
            {
                table.Set(table.LinearIndexOfElement(_coordinates), (long)(sb.BaseAddress + address), size, mask);
            }
        }
    }
}
