using System.Numerics;

namespace P2POrleans.BitTorrent;

/// <summary>
/// One bit per piece (BEP 3 bitfield): which pieces a peer holds. Keeps its count of set bits.
/// </summary>
public sealed class BitField
{
    private readonly ulong[] _words;
    private int _count;

    public BitField(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _words = new ulong[(length + 63) / 64];
    }

    public int Length { get; }

    /// <summary>Number of pieces held.</summary>
    public int Count => _count;

    public bool IsEmpty => _count == 0;

    public bool IsComplete => _count == Length;

    public bool this[int index]
    {
        get
        {
            CheckIndex(index);
            return (_words[index >> 6] & (1UL << (index & 63))) != 0;
        }

        set
        {
            CheckIndex(index);
            var mask = 1UL << (index & 63);
            ref var word = ref _words[index >> 6];
            var had = (word & mask) != 0;
            if (value && !had)
            {
                word |= mask;
                _count++;
            }
            else if (!value && had)
            {
                word &= ~mask;
                _count--;
            }
        }
    }

    public static BitField Full(int length) => new BitField(length).SetAll(true);

    public BitField SetAll(bool value)
    {
        Array.Fill(_words, value ? ulong.MaxValue : 0UL);
        if (value)
        {
            ClearSpareBits();
        }

        _count = value ? Length : 0;
        return this;
    }

    public BitField Clone()
    {
        var copy = new BitField(Length);
        _words.CopyTo(copy._words, 0);
        copy._count = _count;
        return copy;
    }

    /// <summary>The first piece not held, or -1 when complete.</summary>
    public int FirstMissing() => NextIndex(0, set: false);

    /// <summary>The first piece held, or -1 when empty.</summary>
    public int FirstSet() => NextIndex(0, set: true);

    /// <summary>The first index at or after <paramref name="from"/> whose bit equals <paramref name="set"/>, or -1.</summary>
    public int NextIndex(int from, bool set)
    {
        for (var w = from >> 6; w < _words.Length; w++)
        {
            var word = set ? _words[w] : ~_words[w];
            if (w == from >> 6)
            {
                word &= ulong.MaxValue << (from & 63);
            }

            if (word != 0)
            {
                var index = (w << 6) + BitOperations.TrailingZeroCount(word);
                return index < Length ? index : -1;
            }
        }

        return -1;
    }

    public IEnumerable<int> SetIndices()
    {
        for (var i = NextIndex(0, true); i >= 0; i = i + 1 < Length ? NextIndex(i + 1, true) : -1)
        {
            yield return i;
        }
    }

    /// <summary>This AND NOT other, as a new bitfield: e.g. pieces a peer has that we lack.</summary>
    public BitField Except(BitField other)
    {
        CheckSameLength(other);
        var result = new BitField(Length);
        for (var w = 0; w < _words.Length; w++)
        {
            result._words[w] = _words[w] & ~other._words[w];
        }

        result.Recount();
        return result;
    }

    /// <summary>Makes this <paramref name="from"/> AND NOT <paramref name="other"/> (as <see cref="Except"/>, without a new bitfield).</summary>
    public void SetToExcept(BitField from, BitField other)
    {
        CheckSameLength(from);
        CheckSameLength(other);
        for (var w = 0; w < _words.Length; w++)
        {
            _words[w] = from._words[w] & ~other._words[w];
        }

        Recount();
    }

    /// <summary>This AND other, as a new bitfield.</summary>
    public BitField Intersect(BitField other)
    {
        CheckSameLength(other);
        var result = new BitField(Length);
        for (var w = 0; w < _words.Length; w++)
        {
            result._words[w] = _words[w] & other._words[w];
        }

        result.Recount();
        return result;
    }

    /// <summary>True when this holds some piece that <paramref name="mine"/> lacks (BEP 3 interest).</summary>
    public bool HasAnyNotIn(BitField mine)
    {
        CheckSameLength(mine);
        for (var w = 0; w < _words.Length; w++)
        {
            if ((_words[w] & ~mine._words[w]) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>BEP 3 wire form: high bit of byte 0 is piece 0; spare bits are zero.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[(Length + 7) / 8];
        for (var i = NextIndex(0, true); i >= 0; i = i + 1 < Length ? NextIndex(i + 1, true) : -1)
        {
            bytes[i >> 3] |= (byte)(0x80 >> (i & 7));
        }

        return bytes;
    }

    /// <summary>Parses the BEP 3 wire form; wrong size or spare bits set are errors (BEP 3 lets a peer drop the connection).</summary>
    public static BitField FromBytes(ReadOnlySpan<byte> bytes, int length)
    {
        if (bytes.Length != (length + 7) / 8)
        {
            throw new ArgumentException($"a bitfield of {length} pieces is {(length + 7) / 8} bytes, got {bytes.Length}", nameof(bytes));
        }

        var result = new BitField(length);
        for (var i = 0; i < bytes.Length * 8; i++)
        {
            if ((bytes[i >> 3] & (0x80 >> (i & 7))) != 0)
            {
                if (i >= length)
                {
                    throw new ArgumentException("spare bits of a bitfield must be zero", nameof(bytes));
                }

                result[i] = true;
            }
        }

        return result;
    }

    public override string ToString() =>
        string.Create(Length, this, (span, bits) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = bits[i] ? '1' : '0';
            }
        });

    private void ClearSpareBits()
    {
        if (Length % 64 != 0)
        {
            _words[^1] &= (1UL << (Length % 64)) - 1;
        }
    }

    private void Recount()
    {
        var count = 0;
        foreach (var word in _words)
        {
            count += BitOperations.PopCount(word);
        }

        _count = count;
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index outside 0..{Length - 1}");
        }
    }

    private void CheckSameLength(BitField other)
    {
        if (other.Length != Length)
        {
            throw new ArgumentException($"bitfields of {Length} and {other.Length} pieces", nameof(other));
        }
    }
}
