namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// One descriptor on a link: its Gnutella 0.4 bytes (the receiver decodes them) and, beside the
/// protocol, the nodes it crossed so far (for the trace only; routing never reads it).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.WireMessage")]
public sealed record WireMessage(
    [property: Id(0)] byte[] Bytes,
    [property: Id(1)] IReadOnlyList<int> Path);
