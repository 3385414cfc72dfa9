using P2POrleans.Unstructured;

namespace P2POrleans.FastTrack;

/// <summary>What a FastTrack peer starts with: parameters, files and the reputation history it brings.</summary>
[GenerateSerializer, Immutable, Alias("p2p.fasttrack.FastTrackSetup")]
public sealed record FastTrackSetup(
    [property: Id(0)] FastTrackParameters Parameters,
    [property: Id(1)] IReadOnlyList<SharedFile> Files,
    [property: Id(2)] double UptimeHours,
    [property: Id(3)] long BytesUploaded);
