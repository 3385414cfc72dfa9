using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>
/// A Napster client (key "&lt;overlay&gt;/&lt;node&gt;"); not a member: <see cref="PeerUnreachableException"/>.
/// Leave: logs out (the server drops its files), then stops. Fail: the server learns only when a client finds it dead.
/// </summary>
public interface INapsterPeerGrain : IUnstructuredPeer
{
    Task JoinAsync(NapsterParameters parameters, IReadOnlyList<SharedFile> files);

    Task<QueryOutcome> SearchAsync(string text);

    /// <summary>Search, ping every holder, fetch from the best (traced).</summary>
    Task<FetchOutcome> FetchAsync(string text);
}
