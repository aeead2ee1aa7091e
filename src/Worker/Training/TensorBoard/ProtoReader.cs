namespace WebTrainer.Worker.Training.TensorBoard;

/// <summary>The protobuf wire format, as far as reading scalar events needs it; any malformed field sets <see cref="Failed"/>.</summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public bool Failed { get; private set; }

    public bool Next(out int field, out int wire)
    {
        field = wire = 0;
        if (Failed || _position >= _data.Length)
        {
            return false;
        }
        ulong key = Varint();
        field = (int)(key >> 3);
        wire = (int)(key & 7);
        return !Failed;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                break;
            }
            byte b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        Failed = true;
        return 0;
    }

    public ulong Fixed64() => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> Fixed32() => Take(4);

    public ReadOnlySpan<byte> Bytes() => Take((int)Math.Min(Varint(), int.MaxValue));

    /// <summary>Skips a field of wire type <paramref name="wire"/>; false for a type it cannot skip.</summary>
    public bool Skip(int wire)
    {
        switch (wire)
        {
            case 0: Varint(); break;
            case 1: Take(8); break;
            case 2: Bytes(); break;
            case 5: Take(4); break;
            default: Failed = true; break;
        }
        return !Failed;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (Failed || count > _data.Length - _position)
        {
            Failed = true;
            return new byte[Math.Max(count, 8)];
        }
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
