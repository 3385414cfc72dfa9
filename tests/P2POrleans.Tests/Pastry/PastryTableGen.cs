using FsCheck;
using FsCheck.Fluent;

namespace P2POrleans.Tests.Pastry;

/// <summary>A seed, a number of candidate ids (clustered around the owner or not) and b, for the single-table properties.</summary>
public sealed record TableCase(int Seed, int Candidates, int DigitBits, int Size, bool Clustered);

public static class PastryTableGen
{
    public static Arbitrary<TableCase> Tables() =>
        (from seed in Gen.Choose(0, int.MaxValue)
         from count in Gen.Choose(0, 300)
         from b in Gen.Elements(1, 2, 3, 4, 5, 8)
         from size in Gen.Elements(2, 4, 8, 16, 32)
         from clustered in Gen.Elements(true, false)
         select new TableCase(seed, count, b, size, clustered)).ToArbitrary();
}
