namespace P2POrleans.BitTorrent.Choking;

/// <summary>
/// Choker parameters, defaults from Cohen 2003 section 3 and Legout et al. 2006: 4 regular slots
/// plus 1 optimistic, rechoke every 10 s, optimistic rotation every 30 s, snubbed after 60 s.
/// </summary>
/// <param name="UploadSlots">Concurrent uploads, the optimistic one included.</param>
/// <param name="Enabled">False: every interested peer is unchoked (an experiment without tit for tat).</param>
/// <param name="FreeRider">True: never unchoke anyone, so never upload.</param>
public sealed record ChokerOptions(
    int UploadSlots = 5,
    double RechokeIntervalSeconds = 10,
    double OptimisticIntervalSeconds = 30,
    double SnubTimeoutSeconds = 60,
    bool Enabled = true,
    bool FreeRider = false);
