using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>
/// What Napster, Gnutella and FastTrack peers share: membership, the view `peers` lists, the files
/// they share, and the two calls of a download (the client's ping, then the transfer).
/// </summary>
public interface IUnstructuredPeer : IMemberPeer
{
    Task<UnstructuredPeerView> ViewAsync();

    /// <summary>Shares one more file (the next free index).</summary>
    Task<SharedFile> ShareAsync(string name, uint size);

    /// <summary>Answers a client's ping before a download: its speed and whether it accepts connections.</summary>
    Task<PeerProbe> ProbeAsync();

    /// <summary>HTTP GET /get/&lt;index&gt;/ from <paramref name="requester"/>.</summary>
    Task<SharedFile> DownloadAsync(uint fileIndex, int requester);
}
