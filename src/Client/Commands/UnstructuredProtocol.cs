using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Commands;

/// <summary>What the shared unstructured verbs need from one protocol (Napster, Gnutella, FastTrack).</summary>
public sealed record UnstructuredProtocol(
    string Name,
    string Description,
    UnstructuredParameters Defaults,
    Func<IClusterClient, string, UnstructuredParameters, Task<OverlayInfo>> Create,
    Func<IClusterClient, string, IReadOnlyList<string>, Task<int>> Join,
    Func<IClusterClient, string, int, Task<int>> RequireMember,
    Func<IClusterClient, string, int, Task> Leave,
    Func<IClusterClient, string, int, Task> Fail,
    Func<IClusterClient, string, int, string, uint, Task<SharedFile>> Share,
    Func<IClusterClient, string, int, string, int?, Task<QueryOutcome>> Search,
    Func<IClusterClient, string, int, string, int?, Task<FetchOutcome>> Fetch,
    Func<IClusterClient, string, Task<IReadOnlyList<UnstructuredPeerView>>> Peers);
