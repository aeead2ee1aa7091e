namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// Bob Jenkins' lookup3 <c>hashlittle</c>, byte by byte: the checksum HDF5 puts on its version-2
/// metadata (superblock v2/v3, fixed-array blocks; <c>H5_checksum_lookup3(buf, len, 0)</c>).
/// </summary>
internal static class Lookup3
{
    public static uint Hash(ReadOnlySpan<byte> key, uint initial = 0)
    {
        uint a, b, c;
        a = b = c = 0xdeadbeef + (uint)key.Length + initial;
        while (key.Length > 12)
        {
            a += Word(key, 0);
            b += Word(key, 4);
            c += Word(key, 8);
            Mix(ref a, ref b, ref c);
            key = key[12..];
        }
        if (key.Length == 0)
        {
            return c;
        }
        Span<byte> tail = stackalloc byte[12];
        tail.Clear();
        key.CopyTo(tail);
        a += Word(tail, 0);
        b += Word(tail, 4);
        c += Word(tail, 8);
        Final(ref a, ref b, ref c);
        return c;
    }

    private static uint Word(ReadOnlySpan<byte> k, int at) =>
        k[at] | ((uint)k[at + 1] << 8) | ((uint)k[at + 2] << 16) | ((uint)k[at + 3] << 24);

    private static uint Rot(uint x, int k) => (x << k) | (x >> (32 - k));

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= Rot(c, 4); c += b;
        b -= a; b ^= Rot(a, 6); a += c;
        c -= b; c ^= Rot(b, 8); b += a;
        a -= c; a ^= Rot(c, 16); c += b;
        b -= a; b ^= Rot(a, 19); a += c;
        c -= b; c ^= Rot(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= Rot(b, 14);
        a ^= c; a -= Rot(c, 11);
        b ^= a; b -= Rot(a, 25);
        c ^= b; c -= Rot(b, 16);
        a ^= c; a -= Rot(c, 4);
        b ^= a; b -= Rot(a, 14);
        c ^= b; c -= Rot(b, 24);
    }
}
