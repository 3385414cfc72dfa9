namespace P2POrleans.Common;

/// <summary>
/// The grain-storage form of a durable record: the record encoded with the Orleans serializer.
/// Storage providers encode state with their own serializer (the default for Redis and memory is
/// JSON, which sees only public properties and would write NodeId, a struct of private fields, as
/// zero); a byte array comes through any of them unchanged (see <see cref="PersistedRecord{T}"/>).
/// </summary>
[GenerateSerializer, Alias("p2p.StoredBlob")]
public sealed class StoredBlob
{
    [Id(0)] public byte[] Data { get; set; } = [];
}
