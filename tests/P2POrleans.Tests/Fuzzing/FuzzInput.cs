using FsCheck;
using FsCheck.Fluent;

namespace P2POrleans.Tests.Fuzzing;

/// <summary>Generators shared by the fuzz properties: raw bytes, mutations of valid input, hostile text.</summary>
public static class FuzzInput
{
    public static Gen<byte> Bytes => Gen.Choose(0, 255).Select(x => (byte)x);

    /// <summary>A valid encoding with one byte changed, cut short, or a byte inserted.</summary>
    public static Gen<byte[]> Mutate(Gen<byte[]> valid) =>
        from bytes in valid
        from position in Gen.Choose(0, 100_000)
        from value in Bytes
        from mode in Gen.Choose(0, 2)
        select Mutation(bytes, position, value, mode);

    /// <summary>Text that tends to break parsers: digits, signs, hex prefixes, whitespace, control and non-ASCII characters, long runs.</summary>
    public static Gen<string> HostileText =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            Gen.ArrayOf(Gen.Elements("0", "1", "9", "f", "F", "x", "0x", "-", "+", " ", "\t", "\n", "\0", ".", "e", "%", "é", "٣", "😀", "ﬀ", "MB", "KiB", "NaN", "Infinity", "99999999999999999999999999999999999999999999999999"))
                .Select(parts => string.Concat(parts)));

    private static byte[] Mutation(byte[] bytes, int position, byte value, int mode)
    {
        if (bytes.Length == 0)
        {
            return [value];
        }

        var at = position % bytes.Length;
        return mode switch
        {
            0 => [.. bytes[..at], value, .. bytes[(at + 1)..]],
            1 => bytes[..at],
            _ => [.. bytes[..at], value, .. bytes[at..]],
        };
    }
}
