namespace P2POrleans.Unstructured.Flooding;

/// <summary>Payload descriptor byte of the Gnutella 0.4 header (spec 2.2.1, byte 16).</summary>
[GenerateSerializer, Alias("p2p.unstructured.PayloadType")]
public enum PayloadType : byte
{
    Ping = 0x00,
    Pong = 0x01,
    Push = 0x40,
    Query = 0x80,
    QueryHit = 0x81,
}
