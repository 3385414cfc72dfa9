namespace P2POrleans.BitTorrent.Choking;

/// <summary>
/// Choker parameters: rechoke every 10 s, optimistic rotation every 30 s, snubbed after 60 s without
/// a block (Cohen 2003 sections 3.2-3.4; BEP 3). Upload slots default to 4 regular + 1 optimistic.
/// BEP 3 and Legout et al. 2006 (mainline's choke algorithm in leecher state: the 3 fastest every
/// 10 s plus 1 optimistic every 30 s) count 4 in all, the optimistic one included; 5 is kept as the
/// default so the experiments stay comparable with earlier runs, and `--upload-slots 4` gives
/// mainline's count (docs/bittorrent.md, "Choking").
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
