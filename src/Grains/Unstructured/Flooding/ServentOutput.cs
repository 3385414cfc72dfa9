namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// What a servent decided for one incoming descriptor: the descriptors to send to neighbours,
/// those addressed to this servent (Pongs and QueryHits answering its own Ping/Query, a Push for its
/// servent id), and why it was dropped, if it was.
/// </summary>
public sealed record ServentOutput(IReadOnlyList<Outgoing> Send, IReadOnlyList<Descriptor> Delivered, DropReason? Dropped)
{
    public static ServentOutput Drop(DropReason reason) => new([], [], reason);
}
