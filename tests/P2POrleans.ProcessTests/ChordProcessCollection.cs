namespace P2POrleans.ProcessTests;

[CollectionDefinition(Name)]
public sealed class ChordProcessCollection : ICollectionFixture<ChordProcessFixture>
{
    public const string Name = "chord-process-cluster";
}
