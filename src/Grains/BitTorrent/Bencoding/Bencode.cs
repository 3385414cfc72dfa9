using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace P2POrleans.BitTorrent.Bencoding;

/// <summary>
/// Bencoding (BEP 3). The encoder is canonical; the decoder is strict: it accepts exactly the
/// canonical encoding, so decode-then-encode gives back the input byte for byte. Rejected: leading
/// zeros and negative zero in integers and lengths, non-string, unsorted or duplicate keys,
/// truncated input, trailing data, and nesting deeper than the limit (a stack-depth attack).
/// </summary>
public static class Bencode
{
    public const int DefaultMaxDepth = 64;

    public static byte[] Encode(BValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public static BValue Decode(ReadOnlyMemory<byte> input, int maxDepth = DefaultMaxDepth)
    {
        var position = 0;
        var value = ReadValue(input, ref position, depth: 1, maxDepth);
        if (position != input.Length)
        {
            throw new BencodeException("trailing data after the value", position);
        }

        return value;
    }

    public static BValue Decode(byte[] input, int maxDepth = DefaultMaxDepth) => Decode(input.AsMemory(), maxDepth);

    private static void Write(IBufferWriter<byte> output, BValue value)
    {
        switch (value)
        {
            case BInteger i:
                output.Write("i"u8);
                WriteNumber(output, i.Value);
                output.Write("e"u8);
                break;
            case BString s:
                WriteString(output, s.Span);
                break;
            case BList l:
                output.Write("l"u8);
                foreach (var item in l.Items)
                {
                    Write(output, item);
                }

                output.Write("e"u8);
                break;
            case BDictionary d:
                output.Write("d"u8);
                foreach (var (key, item) in d.Entries)
                {
                    WriteString(output, key);
                    Write(output, item);
                }

                output.Write("e"u8);
                break;
            default:
                throw new ArgumentException($"unknown bencode value {value.GetType().Name}", nameof(value));
        }
    }

    private static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteNumber(output, bytes.Length);
        output.Write(":"u8);
        output.Write(bytes);
    }

    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    private static BValue ReadValue(ReadOnlyMemory<byte> input, ref int position, int depth, int maxDepth)
    {
        var span = input.Span;
        if (position >= span.Length)
        {
            throw new BencodeException("truncated input: expected a value", position);
        }

        var start = position;
        BValue value;
        switch (span[position])
        {
            case (byte)'i':
                position++;
                value = new BInteger(ReadInteger(span, ref position, (byte)'e', allowNegative: true));
                break;
            case >= (byte)'0' and <= (byte)'9':
                value = new BString(ReadString(span, ref position));
                break;
            case (byte)'l':
                CheckDepth(depth, maxDepth, position);
                position++;
                var items = new List<BValue>();
                while (!AtEnd(span, ref position, "list"))
                {
                    items.Add(ReadValue(input, ref position, depth + 1, maxDepth));
                }

                value = new BList(items);
                break;
            case (byte)'d':
                CheckDepth(depth, maxDepth, position);
                position++;
                var dictionary = new BDictionary();
                byte[]? previousKey = null;
                while (!AtEnd(span, ref position, "dictionary"))
                {
                    var keyStart = position;
                    if (span[position] is < (byte)'0' or > (byte)'9')
                    {
                        throw new BencodeException("dictionary key is not a byte string", position);
                    }

                    var key = ReadString(span, ref position).ToArray();
                    if (previousKey is not null)
                    {
                        var order = RawBytesComparer.Instance.Compare(previousKey, key);
                        if (order == 0)
                        {
                            throw new BencodeException("duplicate dictionary key", keyStart);
                        }

                        if (order > 0)
                        {
                            throw new BencodeException("dictionary keys not sorted as raw bytes", keyStart);
                        }
                    }

                    previousKey = key;
                    dictionary.Set(key, ReadValue(input, ref position, depth + 1, maxDepth));
                }

                value = dictionary;
                break;
            default:
                throw new BencodeException(
                    $"unexpected byte 0x{span[position].ToString("x2", CultureInfo.InvariantCulture)}", position);
        }

        value.Raw = input[start..position];
        return value;
    }

    /// <summary>Whether a list or dictionary ends here (its 'e', consumed); input that stops before the 'e' is truncated.</summary>
    private static bool AtEnd(ReadOnlySpan<byte> span, ref int position, string container)
    {
        if (position >= span.Length)
        {
            throw new BencodeException($"truncated input: unterminated {container}", position);
        }

        if (span[position] != (byte)'e')
        {
            return false;
        }

        position++;
        return true;
    }

    private static void CheckDepth(int depth, int maxDepth, int position)
    {
        if (depth > maxDepth)
        {
            throw new BencodeException($"nesting deeper than {maxDepth}", position);
        }
    }

    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> span, ref int position)
    {
        var lengthAt = position;
        var length = ReadInteger(span, ref position, (byte)':', allowNegative: false);
        if (length > span.Length - position)
        {
            throw new BencodeException($"truncated input: string of {length} bytes declared", lengthAt);
        }

        var bytes = span.Slice(position, (int)length);
        position += (int)length;
        return bytes;
    }

    /// <summary>Reads canonical decimal digits up to <paramref name="terminator"/> and consumes it.</summary>
    private static long ReadInteger(ReadOnlySpan<byte> span, ref int position, byte terminator, bool allowNegative)
    {
        var start = position;
        var negative = false;
        if (position < span.Length && span[position] == (byte)'-')
        {
            if (!allowNegative)
            {
                throw new BencodeException("negative length", position);
            }

            negative = true;
            position++;
        }

        var digitsStart = position;
        long value = 0;
        while (position < span.Length && span[position] is >= (byte)'0' and <= (byte)'9')
        {
            var digit = span[position] - '0';
            // Accumulate negatively so long.MinValue is representable.
            if (value < (long.MinValue + digit) / 10)
            {
                throw new BencodeException("integer does not fit in 64 bits", start);
            }

            value = (value * 10) - digit;
            position++;
        }

        var digits = position - digitsStart;
        if (position >= span.Length)
        {
            throw new BencodeException("truncated input: unterminated number", position);
        }

        if (span[position] != terminator)
        {
            throw new BencodeException($"expected '{(char)terminator}' after number", position);
        }

        if (digits == 0)
        {
            throw new BencodeException("number without digits", start);
        }

        if (digits > 1 && span[digitsStart] == (byte)'0')
        {
            throw new BencodeException("leading zero", start);
        }

        if (negative && value == 0)
        {
            throw new BencodeException("negative zero", start);
        }

        position++;
        if (!negative)
        {
            if (value == long.MinValue)
            {
                throw new BencodeException("integer does not fit in 64 bits", start);
            }

            return -value;
        }

        return value;
    }
}
