namespace P2POrleans.Unstructured;

/// <summary>One peer as `topology` and `stats` show it.</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.UnstructuredPeerView")]
public sealed record UnstructuredPeerView(
    [property: Id(0)] int Node,
    [property: Id(1)] PeerEndpoint Endpoint,
    [property: Id(2)] string Role,
    [property: Id(3)] int Files,
    [property: Id(4)] IReadOnlyList<int> Neighbours,
    [property: Id(5)] bool Firewalled,
    [property: Id(6)] DescriptorCounts Sent,
    [property: Id(7)] DescriptorCounts Received,
    [property: Id(8)] long Duplicates,
    [property: Id(9)] long Rejected,
    [property: Id(10)] double Reputation);
