using P2POrleans.Common;
using P2POrleans.Gnutella;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>A Napster client (key "&lt;overlay&gt;/&lt;node&gt;"); not a member: <see cref="PeerUnreachableException"/>.</summary>
public interface INapsterPeerGrain : IOverlayPeer
{
    Task JoinAsync(NapsterParameters parameters, IReadOnlyList<SharedFile> files);

    /// <summary>Logs out (the server drops its files), then stops.</summary>
    Task LeaveAsync();

    /// <summary>Crash: the server learns only when a client finds it dead.</summary>
    Task FailAsync();

    Task<bool> IsMemberAsync();

    Task<SharedFile> ShareAsync(string name, uint size);

    Task<QueryOutcome> SearchAsync(string text);

    /// <summary>Search, ping every holder, fetch from the best (traced).</summary>
    Task<FetchOutcome> FetchAsync(string text);

    Task<PeerProbe> ProbeAsync();

    Task<SharedFile> DownloadAsync(uint fileIndex, int requester);

    Task<UnstructuredPeerView> ViewAsync();
}
