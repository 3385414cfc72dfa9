using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.BitTorrent;

namespace P2POrleans.Tests.BitTorrent;

public sealed class BitFieldTests
{
    public static Arbitrary<bool[]> Bits() =>
        Gen.Choose(0, 200).SelectMany(n => Gen.ArrayOf(Gen.Elements(true, false), n)).ToArbitrary();

    private static BitField From(bool[] bits)
    {
        var field = new BitField(bits.Length);
        for (var i = 0; i < bits.Length; i++)
        {
            field[i] = bits[i];
        }

        return field;
    }

    [Property(Arbitrary = [typeof(BitFieldTests)], MaxTest = 300)]
    public bool Count_first_missing_and_wire_form_match_a_bool_array(bool[] bits)
    {
        var field = From(bits);
        var firstMissing = Array.IndexOf(bits, false);
        var back = BitField.FromBytes(field.ToBytes(), bits.Length);
        return field.Count == bits.Count(b => b)
            && field.FirstMissing() == firstMissing
            && field.FirstSet() == Array.IndexOf(bits, true)
            && field.IsComplete == (firstMissing < 0)
            && field.SetIndices().SequenceEqual(Enumerable.Range(0, bits.Length).Where(i => bits[i]))
            && back.ToString() == field.ToString()
            && back.Count == field.Count;
    }

    [Property(Arbitrary = [typeof(BitFieldTests)], MaxTest = 200)]
    public bool Except_and_interest_match_the_definition(bool[] bits)
    {
        var theirs = From(bits);
        var mine = From([.. bits.Select((b, i) => i % 3 == 0 ? !b : b)]);
        var except = theirs.Except(mine);
        var expected = Enumerable.Range(0, bits.Length).Where(i => theirs[i] && !mine[i]).ToArray();
        return except.SetIndices().SequenceEqual(expected) && theirs.HasAnyNotIn(mine) == (expected.Length > 0);
    }

    [Fact]
    public void Wire_form_puts_piece_zero_in_the_high_bit_and_rejects_spare_bits()
    {
        var field = new BitField(10) { [0] = true, [9] = true };
        Assert.Equal(new byte[] { 0x80, 0x40 }, field.ToBytes());
        Assert.Throws<ArgumentException>(() => BitField.FromBytes([0x80, 0x20], 10));
        Assert.Throws<ArgumentException>(() => BitField.FromBytes([0x80], 10));
        Assert.True(BitField.Full(70).IsComplete);
        Assert.Equal(70, BitField.Full(70).Count);
        Assert.Equal(-1, BitField.Full(70).FirstMissing());
    }
}
