namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// LZF decompression (liblzf's <c>lzf_decompress</c>, as h5py's filter 32000 stores chunks). Every
/// literal run and back reference is bounds-checked against both buffers, so corrupt input is an
/// <see cref="InvalidDataException"/>, never a read or write outside them.
/// </summary>
internal static class LzfDecoder
{
    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/>; returns the bytes written.</summary>
    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int ip = 0, op = 0;
        while (ip < input.Length)
        {
            int control = input[ip++];
            if (control < 32)
            {
                int literal = control + 1;
                if (ip + literal > input.Length)
                {
                    throw new InvalidDataException($"lzf literal run of {literal} bytes at input byte {ip} runs past the end of the input");
                }
                if (op + literal > output.Length)
                {
                    throw new InvalidDataException($"lzf data decodes to more than {output.Length} bytes");
                }
                input.Slice(ip, literal).CopyTo(output[op..]);
                ip += literal;
                op += literal;
                continue;
            }
            int length = control >> 5;
            if (length == 7)
            {
                if (ip >= input.Length)
                {
                    throw new InvalidDataException("lzf back reference is cut off at the end of the input");
                }
                length += input[ip++];
            }
            if (ip >= input.Length)
            {
                throw new InvalidDataException("lzf back reference is cut off at the end of the input");
            }
            int reference = op - ((control & 0x1f) << 8) - 1 - input[ip++];
            length += 2;
            if (reference < 0)
            {
                throw new InvalidDataException($"lzf back reference at output byte {op} points {op - reference} bytes back, before the start");
            }
            if (op + length > output.Length)
            {
                throw new InvalidDataException($"lzf data decodes to more than {output.Length} bytes");
            }
            // Byte by byte: a reference may overlap the bytes it produces (a repeated run).
            for (int k = 0; k < length; k++)
            {
                output[op++] = output[reference++];
            }
        }
        return op;
    }
}
