using System.Buffers.Binary;
using System.Text;

namespace WebTrainer.Worker.Training.TensorBoard;

/// <summary>
/// One <c>tensorflow.Event</c> protobuf with the fields TensorBoard's scalar charts read: wall time,
/// step, and either the file version (the first event of a file) or one simple-value summary.
/// Encoded by hand: four fields do not need a protobuf runtime.
/// </summary>
internal sealed record ScalarEvent(double WallTime, long Step, string? Tag, float Value, string? FileVersion = null)
{
    public const string Version = "brain.Event:2";

    public static ScalarEvent VersionEvent(double wallTime) => new(wallTime, 0, null, 0, Version);

    public byte[] Encode()
    {
        using var output = new MemoryStream();
        output.WriteByte(0x09); // wall_time = 1, fixed64
        WriteFixed64(output, BitConverter.DoubleToUInt64Bits(WallTime));
        if (Step != 0)
        {
            output.WriteByte(0x10); // step = 2, varint
            WriteVarint(output, (ulong)Step);
        }
        if (FileVersion is not null)
        {
            output.WriteByte(0x1A); // file_version = 3, bytes
            WriteBytes(output, Encoding.UTF8.GetBytes(FileVersion));
        }
        if (Tag is not null)
        {
            using var value = new MemoryStream();
            value.WriteByte(0x0A); // Summary.Value.tag = 1
            WriteBytes(value, Encoding.UTF8.GetBytes(Tag));
            value.WriteByte(0x15); // Summary.Value.simple_value = 2, fixed32
            Span<byte> single = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(single, Value);
            value.Write(single);
            using var summary = new MemoryStream();
            summary.WriteByte(0x0A); // Summary.value = 1
            WriteBytes(summary, value.ToArray());
            output.WriteByte(0x2A); // summary = 5
            WriteBytes(output, summary.ToArray());
        }
        return output.ToArray();
    }

    /// <summary>Reads what <see cref="Encode"/> writes (and skips fields it does not know); null when the bytes are not an event.</summary>
    public static ScalarEvent? Decode(ReadOnlySpan<byte> data)
    {
        double wall = 0;
        long step = 0;
        string? tag = null, version = null;
        float value = 0;
        var reader = new ProtoReader(data);
        while (reader.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (1, 1): wall = BitConverter.UInt64BitsToDouble(reader.Fixed64()); break;
                case (2, 0): step = (long)reader.Varint(); break;
                case (3, 2): version = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (5, 2):
                    var summary = new ProtoReader(reader.Bytes());
                    while (summary.Next(out int summaryField, out int summaryWire))
                    {
                        if ((summaryField, summaryWire) != (1, 2))
                        {
                            summary.Skip(summaryWire);
                            continue;
                        }
                        var item = new ProtoReader(summary.Bytes());
                        while (item.Next(out int itemField, out int itemWire))
                        {
                            switch (itemField, itemWire)
                            {
                                case (1, 2): tag = Encoding.UTF8.GetString(item.Bytes()); break;
                                case (2, 5): value = BinaryPrimitives.ReadSingleLittleEndian(item.Fixed32()); break;
                                default: item.Skip(itemWire); break;
                            }
                        }
                    }
                    break;
                default:
                    if (!reader.Skip(wire))
                    {
                        return null;
                    }
                    break;
            }
        }
        return reader.Failed ? null : new ScalarEvent(wall, step, tag, value, version);
    }

    private static void WriteFixed64(Stream output, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        output.Write(bytes);
    }

    private static void WriteBytes(Stream output, byte[] bytes)
    {
        WriteVarint(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }
}
