namespace P2POrleans.Tests.Gnutella;

/// <summary>Bytes offered to the decoder; printed as hex when a property fails.</summary>
public sealed record Fuzz(byte[] Bytes)
{
    public override string ToString() => Convert.ToHexString(Bytes);
}
