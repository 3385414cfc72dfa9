namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// Serves the requests of unchoked peers, one block per peer in turn (round robin, starting one peer
/// further each call), up to the upload capacity of the elapsed time; an overdraft is paid back
/// from the next call.
/// </summary>
public sealed class UploadScheduler
{
    private double _credit;
    private int _cursor;

    /// <summary>Calls <paramref name="send"/> for each block served; it returns the bytes sent.</summary>
    public void Serve(IEnumerable<SwarmConnection> connections, double allowance, Func<SwarmConnection, BlockRequest, int> send)
    {
        var budget = _credit + allowance;
        var peers = connections.Where(c => !c.AmChoking && c.Requests.Count > 0).ToList();
        if (peers.Count > 0)
        {
            _cursor = (_cursor + 1) % peers.Count;
        }

        var i = _cursor;
        while (budget > 0 && peers.Count > 0)
        {
            i %= peers.Count;
            var c = peers[i];
            var block = c.Requests[0];
            c.Requests.RemoveAt(0);
            if (c.Requests.Count == 0)
            {
                peers.RemoveAt(i);
            }
            else
            {
                i++;
            }

            budget -= send(c, block);
        }

        _credit = Math.Min(budget, 0);
    }
}
