namespace WebTrainer.Worker.Data.Sampling;

/// <summary>
/// A small, fully specified PRNG (Steele et al., SplitMix64). Unlike System.Random its sequence is
/// defined by this file alone, so shuffles and augmentations reproduce across .NET versions.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        ulong product = (ulong)(uint)(NextUInt64() >> 32) * (uint)bound;
        uint low = (uint)product;
        if (low < (uint)bound)
        {
            uint threshold = (uint)-bound % (uint)bound;
            while (low < threshold)
            {
                product = (ulong)(uint)(NextUInt64() >> 32) * (uint)bound;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A seed derived from several values, e.g. (run seed, epoch, sample index).</summary>
    public static ulong Mix(params ReadOnlySpan<ulong> values)
    {
        var mixer = new SplitMix64(0x5754_5241_494E_4552UL);
        ulong h = mixer.NextUInt64();
        foreach (var v in values)
        {
            mixer = new SplitMix64(h ^ v);
            h = mixer.NextUInt64();
        }
        return h;
    }
}
