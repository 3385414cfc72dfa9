using FsCheck;
using FsCheck.Fluent;

namespace P2POrleans.Tests.Pastry;

/// <summary>Arbitraries for the Pastry properties: network shapes of 50-2000 nodes, b in {1, 2, 4}.</summary>
public static class PastryGen
{
    public static Arbitrary<NetworkCase> Networks() =>
        (from seed in Gen.Choose(0, int.MaxValue)
         from nodes in Gen.OneOf(Gen.Choose(50, 300), Gen.Choose(300, 2000))
         from b in Gen.Elements(1, 2, 4)
         from leaves in Gen.Elements(4, 8, 16, 16, 32)
         from proximity in Gen.Elements(true, false)
         from clustered in Gen.Elements(true, false, false)
         select new NetworkCase(seed, nodes, b, leaves, proximity, clustered)).ToArbitrary();
}
