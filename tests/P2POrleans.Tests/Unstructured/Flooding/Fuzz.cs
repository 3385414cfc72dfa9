using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.Unstructured.Flooding;

/// <summary>Bytes offered to the decoder; printed as hex when a property fails.</summary>
public sealed record Fuzz(byte[] Bytes)
{
    public override string ToString() => Convert.ToHexString(Bytes);
}
