namespace P2POrleans.Unstructured.Flooding;

/// <summary>A descriptor a servent originated and the copies to send; Send is empty when there is nobody (or no route) to send to.</summary>
public sealed record Originated(Descriptor Descriptor, IReadOnlyList<Outgoing> Send);
